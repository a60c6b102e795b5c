// The dashboard's words, Chinese first; English when the analyst switches (kept in localStorage).

const TEXT = {
  title: ['红通通学习数据看板', 'Hong Tong Tong learning dashboard'],
  overview: ['概览', 'Overview'],
  trends: ['趋势', 'Trends'],
  regions: ['地区', 'Regions'],
  courses: ['课程', 'Courses'],
  course: ['课程详情', 'Course'],
  institutions: ['机构', 'Institutions'],
  professions: ['职业', 'Professions'],
  language: ['English', '中文'],
  logout: ['退出', 'Log out'],
  period: ['时间段', 'Period'],
  'preset.month': ['本月', 'This month'],
  'preset.30d': ['最近30天', 'Last 30 days'],
  'preset.quarter': ['本季度', 'This quarter'],
  'preset.year': ['今年', 'This year'],
  'preset.custom': ['自定义', 'Custom range'],
  from: ['从', 'From'],
  to: ['至', 'To'],
  category: ['专业类别', 'Category'],
  allCategories: ['全部类别', 'All categories'],
  courseFilter: ['课程', 'Course'],
  allCourses: ['全部课程', 'All courses'],
  region: ['地区', 'Region'],
  scope: ['您的范围', 'Your scope'],
  backToScope: ['回到我的范围', 'Back to my scope'],
  csv: ['下载 CSV', 'Download CSV'],
  link: ['复制本视图链接', 'Copy link to this view'],
  copied: ['链接已复制', 'Link copied'],
  registeredLearners: ['注册学员', 'Registered learners'],
  activeLearners: ['学习学员', 'Active learners'],
  watchHours: ['观看时长（小时）', 'Watch hours'],
  creditedHours: ['认定学时（小时）', 'Credited hours'],
  lessonCompletions: ['完成课时', 'Lesson completions'],
  courseCompletions: ['完成课程', 'Course completions'],
  learners: ['学员', 'Learners'],
  completions: ['完成人数', 'Completions'],
  completionRate: ['完成率', 'Completion rate'],
  avgMinutes: ['人均认定分钟', 'Avg credited minutes per learner'],
  previous: ['较上一同长时段', 'vs previous period'],
  noChange: ['无可比数据', 'no comparison'],
  granularity: ['粒度', 'Granularity'],
  day: ['按日', 'Daily'],
  week: ['按周', 'Weekly'],
  month: ['按月', 'Monthly'],
  measure: ['指标', 'Measure'],
  start: ['起始日', 'Start'],
  end: ['截止日', 'End'],
  name: ['名称', 'Name'],
  code: ['代码', 'Code'],
  kind: ['类型', 'Kind'],
  total: ['合计', 'Total'],
  courseTitle: ['课程', 'Course'],
  lessons: ['课时留存曲线', "Lessons' retention curves"],
  percentile: ['进度百分位', 'Percentile'],
  viewers: ['观看人数', 'Viewers'],
  retentionNote: ['留存曲线按课时统计全部历史（不受时间段和课程筛选影响）：每个百分位上看过该位置的观看者占比。',
    'Retention covers all time for each lesson (the period and course filters do not apply): the share of viewers who watched each percentile.'],
  notPublished: ['这门课程未发布或已下架，无法列出课时。', 'This course is not published, so its lessons cannot be listed.'],
  truncated: ['仅显示学时最多的前 {n} 家机构。', 'Only the {n} institutions with the most credited hours are shown.'],
  suppressedNote: ['“<5”：为保护个人隐私，学员少于 5 人的组不显示数值。', '"<5": to protect individuals, groups of fewer than 5 learners show no numbers.'],
  perturbedNote: ['为防止由多次查询相减反推个人信息，所有数值均经一致的微小扰动（人数和完成数最多 ±{count}，学时最多为该组人均学时的 {hours} 倍）；同一组人的同一数值每次显示相同，合计不一定等于各行之和。',
    'So that no subtraction of answers reveals a person, every number is slightly and consistently perturbed (counts by at most ±{count}, hours by at most {hours} times the group\'s average per learner); the same group always shows the same number, and totals need not equal the sum of their rows.'],
  outOfScope: ['该地区不在您的统计范围内（{scope}）。', 'That region is outside your statistics scope ({scope}).'],
  nationwide: ['全国', 'Nationwide'],
  loginFailed: ['登录失败：', 'Login failed: '],
  noRole: ['您的账号没有查看统计的权限（需要 analyst 或 admin 角色）。', 'Your account may not see statistics (it needs the analyst or admin role).'],
  loading: ['加载中…', 'Loading…'],
  'kind.township-health-center': ['乡镇卫生院', 'Township health center'],
  'kind.village-clinic': ['村卫生室', 'Village clinic'],
  'kind.community-health-center': ['社区卫生服务中心', 'Community health center'],
  'kind.county-hospital': ['县级医院', 'County hospital'],
  'kind.other': ['其他机构', 'Other'],
  empty: ['该时段没有数据。', 'No data in this period.'],
};

let lang = localStorage.getItem('hongtong.dashboard.lang') === 'en' ? 'en' : 'zh-CN';

export function language() {
  return lang;
}

export function setLanguage(value) {
  lang = value === 'en' ? 'en' : 'zh-CN';
  localStorage.setItem('hongtong.dashboard.lang', lang);
  document.documentElement.lang = lang;
}

export function t(key, vars = {}) {
  const entry = TEXT[key];
  let text = entry ? entry[lang === 'en' ? 1 : 0] : key;
  Object.entries(vars).forEach(([k, v]) => { text = text.replace(`{${k}}`, v); });
  return text;
}

export function formatNumber(value, digits) {
  if (value === null || value === undefined) {
    return '';
  }
  return Number(value).toLocaleString(lang, digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

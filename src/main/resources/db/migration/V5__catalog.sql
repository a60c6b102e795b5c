-- Catalog: professional fields, courses, ordered lessons.
CREATE TABLE category (
    code     varchar(40)  PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]*$'),
    name_zh  varchar(50)  NOT NULL,
    name_en  varchar(80)  NOT NULL,
    position smallint     NOT NULL UNIQUE
);

INSERT INTO category (code, name_zh, name_en, position) VALUES
    ('clinical-skills',       '临床技能',     'Clinical skills', 1),
    ('chronic-disease',       '慢病管理',     'Chronic disease management', 2),
    ('maternal-child',        '妇幼健康',     'Maternal and child health', 3),
    ('infectious-disease',    '传染病防控',   'Infectious disease control', 4),
    ('public-health',         '基本公共卫生', 'Basic public health services', 5),
    ('first-aid',             '急救与应急',   'First aid and emergencies', 6),
    ('pharmacy',              '合理用药',     'Rational use of medicines', 7),
    ('traditional-medicine',  '中医药适宜技术', 'Traditional Chinese medicine techniques', 8),
    ('mental-health',         '心理健康',     'Mental health', 9),
    ('social-work',           '社会工作',     'Social work', 10),
    ('risk-prevention',       '风险防范',     'Risk prevention', 11);

CREATE TABLE course (
    id            uuid         PRIMARY KEY,
    title         varchar(100) NOT NULL CHECK (length(btrim(title)) > 0),
    summary       varchar(2000) NOT NULL DEFAULT '',
    category_code varchar(40)  NOT NULL REFERENCES category (code),
    credit_class  varchar(4)   NOT NULL CHECK (credit_class IN ('I', 'II', 'none')),
    credit_hours  numeric(4,1) NOT NULL CHECK (credit_hours >= 0 AND credit_hours <= 100),
    cover_asset_id uuid        REFERENCES media_asset (id),
    status        varchar(10)  NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    published_at  timestamptz,
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL,
    CHECK ((status = 'draft') OR published_at IS NOT NULL)
);
-- Learners' list: published courses, newest first, keyset-paginated on (published_at, id).
CREATE INDEX course_published_idx ON course (published_at DESC, id DESC) WHERE status = 'published';
-- Chinese substring search on title and summary.
CREATE INDEX course_search_idx ON course USING gin ((title || ' ' || summary) gin_trgm_ops);

CREATE TABLE lesson (
    id             uuid         PRIMARY KEY,
    course_id      uuid         NOT NULL REFERENCES course (id),
    position       integer      NOT NULL CHECK (position > 0),
    title          varchar(100) NOT NULL CHECK (length(btrim(title)) > 0),
    media_asset_id uuid         REFERENCES media_asset (id),
    created_at     timestamptz  NOT NULL,
    updated_at     timestamptz  NOT NULL,
    -- Deferred so that a reorder can swap positions inside one transaction.
    CONSTRAINT lesson_position_unique UNIQUE (course_id, position) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX lesson_asset_idx ON lesson (media_asset_id);

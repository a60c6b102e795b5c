package cn.hongtong.credit;

import cn.hongtong.credit.CreditDtos.Option;
import cn.hongtong.credit.CreditDtos.Reviewed;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Drawing an attempt's paper from the question bank and grading it: pure functions. A paper is
 * a function of the bank and the attempt's seed ({@link Random}'s algorithm is fixed by its
 * specification), so an attempt can be drawn again from its seed to audit it.
 */
final class Papers {

    private Papers() {}

    /** A question with its answer, as in the bank or, shuffled, on a paper. */
    record Question(UUID id, String kind, String stem, List<Option> options, List<String> correct, String explanation) {

        Question shuffled(Random random) {
            List<Option> order = new ArrayList<>(options);
            Collections.shuffle(order, random);
            return new Question(id, kind, stem, List.copyOf(order), correct, explanation);
        }
    }

    /** {@code size} questions of the bank (active ones), their options shuffled, in a seeded order. */
    static List<Question> draw(List<Question> bank, int size, long seed) {
        if (size > bank.size()) {
            throw new IllegalArgumentException("the bank has " + bank.size() + " questions, not " + size);
        }
        List<Question> order = new ArrayList<>(bank);
        order.sort(Comparator.comparing(Question::id));
        Random random = new Random(seed);
        Collections.shuffle(order, random);
        List<Question> paper = new ArrayList<>(size);
        for (Question q : order.subList(0, size)) {
            paper.add(q.shuffled(random));
        }
        return List.copyOf(paper);
    }

    record Graded(int correctCount, int score, boolean passed, List<Reviewed> review) {}

    /**
     * Grades answers (question id to the chosen option ids) against a paper: a question is right
     * when exactly its correct options are chosen; an unanswered one is wrong. Passed when the
     * share right is at least {@code passPercent} (compared exactly, not after rounding the score).
     */
    static Graded grade(List<Question> paper, Map<UUID, List<String>> answers, int passPercent) {
        int right = 0;
        List<Reviewed> review = new ArrayList<>(paper.size());
        for (Question q : paper) {
            List<String> chosen = answers.getOrDefault(q.id(), List.of());
            boolean ok = new TreeSet<>(chosen).equals(new TreeSet<>(q.correct()));
            if (ok) {
                right++;
            }
            review.add(new Reviewed(
                    q.id(),
                    q.kind(),
                    q.stem(),
                    q.options(),
                    List.copyOf(new TreeSet<>(chosen)),
                    List.copyOf(new TreeSet<>(q.correct())),
                    ok,
                    q.explanation()));
        }
        int n = paper.size();
        return new Graded(right, n == 0 ? 0 : right * 100 / n, (long) right * 100 >= (long) passPercent * n, review);
    }

    /**
     * Why answers do not fit a paper (a question not on it, a question twice, an option it does
     * not have, two options to a single-choice question), or null when they fit.
     */
    static String misfit(List<Question> paper, List<CreditDtos.Answer> answers) {
        Map<UUID, Question> byId = new HashMap<>();
        paper.forEach(q -> byId.put(q.id(), q));
        Set<UUID> seen = new HashSet<>();
        for (CreditDtos.Answer a : answers) {
            Question q = byId.get(a.questionId());
            if (q == null) {
                return "question " + a.questionId() + " is not on this paper";
            }
            if (!seen.add(a.questionId())) {
                return "question " + a.questionId() + " is answered twice";
            }
            Set<String> ids = new HashSet<>();
            q.options().forEach(o -> ids.add(o.id()));
            for (String c : a.choices()) {
                if (!ids.contains(c)) {
                    return "question " + a.questionId() + " has no option " + c;
                }
            }
            if (new HashSet<>(a.choices()).size() != a.choices().size()) {
                return "question " + a.questionId() + " has an option chosen twice";
            }
            if (q.kind().equals("single") && a.choices().size() > 1) {
                return "question " + a.questionId() + " takes one option";
            }
        }
        return null;
    }

    /** Why a question as written cannot be used, or null: options' ids unique, answers among them, one for single. */
    static String invalid(CreditDtos.QuestionInput input) {
        Set<String> ids = new HashSet<>();
        for (CreditDtos.OptionInput o : input.options()) {
            if (!ids.add(o.id())) {
                return "option " + o.id() + " appears twice";
            }
        }
        Set<String> correct = new HashSet<>(input.correct());
        if (correct.size() != input.correct().size()) {
            return "an answer appears twice";
        }
        if (!ids.containsAll(correct)) {
            return "every correct answer must be one of the options";
        }
        if (input.kind().equals("single") && correct.size() != 1) {
            return "a single-choice question has exactly one correct answer";
        }
        return null;
    }
}

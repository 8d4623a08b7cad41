"""How much grading the answer groups save, on a generated class's task-3 answers.

    python benchmarks/answer_groups.py [--students 60] [--seed 0] [--sweep]

A class of --students submissions whose free-text answer to ML06's task 3 ("what network
architecture suits this data, and why?") comes in seven phrasings, each with a verdict
(right, partly right, wrong, blank); every student writes one phrasing with its clauses in
a random order, synonyms picked at random, typos and changed case and punctuation.
gradekit.manual.groups.group_texts groups them; printed and written to
benchmarks/results/answer_groups.json:
  - the adjusted Rand index of the groups against the phrasings (1: each phrasing exactly
    one group; 0: chance);
  - grading actions per answer, the measure of Gradescope's answer groups and of
    Powergrading (Basu et al., 2013): one action per group graded as a whole, plus one per
    member that must be moved out and graded on its own because its verdict differs from
    its group's majority verdict; divided by the number of answers (1.0 = one by one).
--sweep also prints both figures for a range of distance thresholds.  --plots does the same
for the plots of tasks 8 and 9 (group_vectors over ML06's features): a class of networks
trained in this process by the reference's train with the settings students get wrong
(converged, stopped early, a tiny step, gradient ascent, untrained), graded by kind.
"""
import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sklearn.metrics import adjusted_rand_score

from gradekit.manual import groups

# phrasing -> (verdict, share of the class, clauses: each a list of interchangeable wordings)
PHRASINGS = {
    "units_per_line": ("right", 0.22, [
        ["two hidden sigmoid units", "2 hidden neurons with a sigmoid", "two logistic hidden units"],
        ["each of them makes one of the two lines", "each hidden unit is one boundary line",
         "every hidden neuron gives one line"],
        ["the output unit combines them into the band", "one sigmoid output combines the lines",
         "the single output neuron joins the two half planes"]]),
    "mlp_221": ("right", 0.2, [
        ["a 2-2-1 MLP", "an MLP 2-2-1", "a 2-2-1 network"],
        ["2 inputs, one hidden layer of 2 units and one output",
         "two inputs, a hidden layer with two units, a single output"],
        ["all with sigmoid activation", "the activation is the sigmoid everywhere",
         "using logistic activations"]]),
    "needs_hidden": ("partly right", 0.17, [
        ["we need a hidden layer", "a hidden layer is necessary", "there must be a hidden layer"],
        ["because one perceptron cannot separate the band", "since a single perceptron fails here",
         "as the classes are not linearly separable"]]),
    "probability": ("partly right", 0.13, [
        ["sigmoid activation", "the logistic function as activation", "sigmoids"],
        ["so that the output is a probability", "so the output can be read as a probability"],
        ["which fits the cross-entropy loss", "that goes with cross entropy"]]),
    "perceptron": ("wrong", 0.1, [
        ["a single perceptron is enough", "one perceptron suffices", "just one neuron is enough"],
        ["with a step activation", "using a threshold function"],
        ["the data look simple", "the problem is easy"]]),
    "deep_relu": ("wrong", 0.1, [
        ["a deep network", "many hidden layers", "a big deep net"],
        ["with ReLU activations", "using relu units"],
        ["like 3 layers of 64 neurons", "for example three hidden layers of 64 units"]]),
    "blank": ("blank", 0.08, [["", " ", "\n", "  \n"]]),
}
SOLUTION = ("A 2-2-1 MLP: 2 inputs, one hidden layer of 2 sigmoid units and 1 sigmoid output "
            "unit. Each hidden unit implements one of the two lines; the output unit combines "
            "the two half-planes into the band. The sigmoid output gives the probability of "
            "class 1, which suits the cross-entropy loss.")
JOINS = [", ", "; ", " and ", ". ", " - "]
TYPO_RATE = 0.06   # per word


def typo(word, rng):
    """The word with one keyboard slip: two letters swapped, one dropped or one doubled."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    if kind == "drop":
        return word[:at] + word[at + 1:]
    return word[:at] + word[at] + word[at:]


def write_answer(phrasing, rng):
    """One student's answer in the given phrasing."""
    clauses = [rng.choice(options) for options in PHRASINGS[phrasing][2]]
    if not "".join(clauses).strip():
        return "".join(clauses)   # blank: left empty, or only spaces and new lines
    rng.shuffle(clauses)
    text = clauses[0]
    for clause in clauses[1:]:
        text += rng.choice(JOINS) + clause
    words = [typo(w, rng) if rng.random() < TYPO_RATE else w for w in text.split(" ")]
    text = " ".join(words)
    if rng.random() < 0.5:
        text = text[:1].upper() + text[1:]
    if rng.random() < 0.3:
        text = text.upper() if rng.random() < 0.2 else text.lower()
    return text + rng.choice(("", ".", "!", " "))


def generate_class(students, seed):
    """{student: answer}, {student: phrasing}."""
    rng = random.Random(seed)
    names = list(PHRASINGS)
    counts = [round(PHRASINGS[n][1] * students) for n in names]
    counts[0] += students - sum(counts)
    truth = [name for name, count in zip(names, counts) for _ in range(count)]
    rng.shuffle(truth)
    phrasing = {f"s{i:03d}": name for i, name in enumerate(truth)}
    return {s: write_answer(p, rng) for s, p in phrasing.items()}, phrasing


def measure(answers, phrasing):
    """{"groups", "ari", "actions", "actions_per_answer"} of group_texts on the class."""
    found = groups.group_texts(answers, SOLUTION)
    group_of = {m: g.number for g in found for m in g.members}
    students = sorted(answers)
    ari = adjusted_rand_score([phrasing[s] for s in students], [group_of[s] for s in students])
    actions = 0
    for group in found:
        verdicts = Counter(PHRASINGS[phrasing[m]][0] for m in group.members)
        actions += 1 + len(group.members) - verdicts.most_common(1)[0][1]
    return {"groups": len(found), "ari": round(ari, 4), "actions": actions,
            "actions_per_answer": round(actions / len(students), 4), "found": found}


# kind -> (share of the class, train settings (alpha, epochs range))
PLOT_KINDS = {"converged": (0.4, 2.0, (20000, 20000)), "stopped early": (0.2, 2.0, (150, 300)),
              "tiny step": (0.15, 0.02, (1000, 2000)), "ascent": (0.15, -0.5, (30, 60)),
              "untrained": (0.1, 2.0, (1, 1))}


def plot_class(students, seed):
    """{student: artifacts as the graders keep them}, {student: kind}."""
    from gradekit.course.layout import Course
    from gradekit.reports.feedback import hook
    kit = hook(Course(ROOT), "ML06")._kit()
    X, y = kit.data.band
    rng = random.Random(seed)
    kinds = [k for k, (share, *_) in PLOT_KINDS.items() for _ in range(round(share * students))]
    kept, kind_of = {}, {}
    for number, kind in enumerate(kinds):
        _, alpha, (low, high) = PLOT_KINDS[kind]
        start = rng.randrange(3)
        W1, w2, losses = kit.ref.train(X, y, *kit.ref.init_weights(2, seed=start), alpha=alpha,
                                       epochs=rng.randint(low, high), eps=-1.0 if alpha < 0 else 1e-7)
        student = f"p{number:03d}"
        kept[student] = {"train_data_1": {"W1": W1, "w2": w2, "losses": losses, "seed": start}}
        kind_of[student] = kind
    return kept, kind_of


def measure_plots(students, seed):
    """{question: {"groups", "ari", "actions_per_answer", "labels"}} for tasks 8 and 9."""
    from gradekit.course.layout import Course
    from gradekit.reports.feedback import hook
    module = hook(Course(ROOT), "ML06")
    kept, kind_of = plot_class(students, seed)
    figures = {}
    for question in ("task08_plot", "task09_plot"):
        features = {s: module.features(question, a, str(ROOT)) for s, a in kept.items()}
        found = groups.group_vectors(features, module.reference_features(question, str(ROOT)),
                                     describe=lambda c, q=question: module.describe(q, c))
        group_of = {m: g.number for g in found for m in g.members}
        ordered = sorted(kept)
        actions = sum(1 + len(g.members) - Counter(kind_of[m] for m in g.members)
                      .most_common(1)[0][1] for g in found)
        figures[question] = {
            "groups": len(found), "actions_per_answer": round(actions / len(ordered), 4),
            "ari": round(adjusted_rand_score([kind_of[s] for s in ordered],
                                             [group_of[s] for s in ordered]), 4),
            "labels": [f"{g.label} ({dict(Counter(kind_of[m] for m in g.members))})"
                       for g in found]}
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--plots", action="store_true")
    args = parser.parse_args()
    answers, phrasing = generate_class(args.students, args.seed)
    if args.sweep:
        chosen = groups.TEXT_THRESHOLD
        for threshold in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
            groups.TEXT_THRESHOLD = threshold
            runs = [measure(*generate_class(args.students, seed)) for seed in range(5)]
            print(f"threshold {threshold:.2f}: ARI " +
                  " ".join(f"{r['ari']:.3f}" for r in runs) + "  actions/answer " +
                  " ".join(f"{r['actions_per_answer']:.3f}" for r in runs))
        groups.TEXT_THRESHOLD = chosen
    result = measure(answers, phrasing)
    for group in result.pop("found"):
        truths = Counter(phrasing[m] for m in group.members)
        print(f"group {group.number:2d} ({len(group.members):2d}) {group.label!r:45} "
              f"{dict(truths)}" + (f" outliers {list(group.outliers)}" if group.outliers else ""))
    seeds = [measure(*generate_class(args.students, seed)) for seed in range(10)]
    figures = {
        "students": args.students, "seed": args.seed, "phrasings": len(PHRASINGS),
        "threshold": groups.TEXT_THRESHOLD, **result,
        "seeds_0_9": {"ari_min": min(r["ari"] for r in seeds),
                      "ari_mean": round(sum(r["ari"] for r in seeds) / len(seeds), 4),
                      "actions_per_answer_max": max(r["actions_per_answer"] for r in seeds),
                      "actions_per_answer_mean": round(
                          sum(r["actions_per_answer"] for r in seeds) / len(seeds), 4)},
    }
    print(f"{args.students} answers, {len(PHRASINGS)} phrasings: {result['groups']} groups, "
          f"adjusted Rand index {result['ari']:.3f}, {result['actions']} grading actions = "
          f"{result['actions_per_answer']:.3f} per answer")
    print(f"seeds 0-9: ARI mean {figures['seeds_0_9']['ari_mean']:.3f} "
          f"(min {figures['seeds_0_9']['ari_min']:.3f}), actions per answer mean "
          f"{figures['seeds_0_9']['actions_per_answer_mean']:.3f} "
          f"(max {figures['seeds_0_9']['actions_per_answer_max']:.3f})")
    out = ROOT / "benchmarks" / "results" / "answer_groups.json"
    written = dict(json.loads(out.read_text()) if out.exists() else {}, texts=figures)
    if args.plots:
        written["plots"] = {"students": args.students, "seed": args.seed,
                            "threshold": groups.VECTOR_THRESHOLD,
                            **measure_plots(args.students, args.seed)}
        for question in ("task08_plot", "task09_plot"):
            found = written["plots"][question]
            print(f"{question}: {found['groups']} groups, adjusted Rand index "
                  f"{found['ari']:.3f}, {found['actions_per_answer']:.3f} actions per answer")
            for label in found["labels"]:
                print(f"    {label}")
    out.write_text(json.dumps(written, indent=2) + "\n")


if __name__ == "__main__":
    main()

"""What made a pair score high, in words an instructor can show: shared passages with their
cells and lines, free-text answers written alike, and identical unusual grading failures."""

SHOWN_MATCHES = 4        # passages named per pair
QUOTE = 90               # characters of a quoted answer or failure


def where(region, lines):
    """ "function `fit` (cell 17, lines 3-14)" or "cell 4 (lines 1-2)"."""
    span = f"line {lines[0]}" if lines[0] == lines[-1] else f"lines {lines[0]}-{lines[-1]}"
    if region["kind"] == "text":
        return f"{region['cell']}"
    if region["name"]:
        return f"function `{region['name']}` ({region['cell']}, {span})"
    return f"{region['cell']} ({span})"


def quote(text):
    text = " ".join(text.split())
    return text if len(text) <= QUOTE else text[:QUOTE - 1] + "…"


def describe(comparison, i, j, matched):
    """Sentences on pair (i, j); matched: Comparison.matches(i, j)."""
    a, b = comparison.ids[i], comparison.ids[j]
    doc_a, doc_b = comparison.documents[a], comparison.documents[b]
    shared = comparison.shared[i, j]
    sentences = []
    if shared > 0:
        sentences.append(
            f"{100 * shared / comparison.totals[i]:.0f} % of {a}'s own work (the release and "
            f"what most of the class writes alike left out) is also in {b}; "
            f"{100 * shared / comparison.totals[j]:.0f} % of {b}'s is in {a}")
        only_them = sum(1 for h in comparison.kept[i] & comparison.kept[j]
                        if comparison.holders[h] == 2)
        if only_them:
            sentences.append(f"{only_them} shared fingerprints that no other submission has")
    sentences += one_function(comparison, i, j, matched)
    code = [m for m in matched if doc_a["regions"][m[0]]["kind"] == "code"]
    for region_a, region_b, weight, hashes in code[:SHOWN_MATCHES]:
        lines_a = comparison.covered(i, region_a, hashes)
        lines_b = comparison.covered(j, region_b, hashes)
        sentences.append(
            f"{where(doc_a['regions'][region_a], lines_a)} matches "
            f"{where(doc_b['regions'][region_b], lines_b)} "
            f"({100 * weight / shared:.0f} % of what they share)")
    for region_a, region_b, _, _ in matched:
        first, second = doc_a["regions"][region_a], doc_b["regions"][region_b]
        if first["kind"] == "text" and second["kind"] == "text":
            text_a, text_b = doc_a["texts"][first["cell"]], doc_b["texts"][second["cell"]]
            alike = "identical" if " ".join(text_a.split()) == " ".join(text_b.split()) \
                else "largely the same"
            sentences.append(f"{alike} free-text answer in {first['cell']} and "
                             f"{second['cell']}: \"{quote(text_a)}\"")
    sentences += same_failures(comparison, i, j)
    return sentences


def one_function(comparison, i, j, matched):
    """The sentence saying that one function carries the pair's score, when it does."""
    if (i, j) not in comparison.carried:   # kept both ways round
        return []
    region_a, region_b, match, others = comparison.carried[i, j]
    hashes = next((m[3] for m in matched if m[:2] == (region_a, region_b)), None)
    if not hashes:
        return []
    doc_a = comparison.documents[comparison.ids[i]]
    doc_b = comparison.documents[comparison.ids[j]]
    first = where(doc_a["regions"][region_a], comparison.covered(i, region_a, hashes))
    second = where(doc_b["regions"][region_b], comparison.covered(j, region_b, hashes))
    if not others:
        others = "no other submission has a function"
    else:
        others = f"{others} other students have functions" if others > 1 else \
            "1 other student has a function"
    return [f"the score rests on one function: {first} and {second} are {100 * match:.0f} % "
            f"alike, and {others} as alike to them"]


def same_failures(comparison, i, j):
    """Identical failures of the graders' tests that few others in the class have
    (Comparison.failures), and how much they raised the pair's score."""
    common = sorted((failure, len(owners)) for failure, owners in comparison.failures.items()
                    if i in owners and j in owners)
    sentences = [f"the same failure of {test} ({count} of {len(comparison.ids)} students "
                 f"have it): \"{quote(output)}\"" for (test, output), count in common]
    code, score = comparison.code[i, j], comparison.scores[i, j]
    if sentences and round(score, 2) > round(code, 2):
        sentences.insert(0, f"the same unusual failures of the graders' tests raise the "
                            f"score from {code:.2f} (the code alone) to {score:.2f}")
    return sentences

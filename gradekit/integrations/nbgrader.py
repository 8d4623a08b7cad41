"""nbgrader integration: `nbgrader autograde` scores with gradekit's sandboxed graders.

Registered in nbgrader_config.py:
  RestoreGradeCells  (sanitize step, instead of OverwriteCells) also restores tampered grade
                     flags and re-adds deleted grade cells wherever they were;
  SandboxedGrading   (autograde step, instead of Execute) never starts a Jupyter kernel: it
                     grades the sanitized notebook with gradekit and writes each grade cell's
                     result as outputs that nbgrader's own determine_grade turns into the same
                     score (stdout = full, execute_result = partial, error = zero).
Student code runs only in gradekit's sandbox, whose environment is scrubbed: the
NBGRADER_EXECUTION=autograde that nbgrader sets around this step never reaches it, so a
notebook scores the same here as under `gradekit grade`.
"""
import base64
import logging
import re

import nbformat
from nbformat.corpus.words import generate_corpus_id
from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells
from traitlets import Bool, Unicode

from ..attempts.states import Status
from ..course.layout import Course
from ..dispatch import grader_for
from ..reports.feedback import pictures
from ..reports.render import report_lines, visible_output

UNIT_LABEL = re.compile(r"^cell (\d+)$")   # labels of gradekit.submissions.load.notebook_units


class RestoreGradeCells(OverwriteCells):
    """OverwriteCells that also restores grade/solution flags and re-adds lost grade cells."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            entry = gradebook.find_notebook(info["notebook"], info["assignment"])
            self.points = {c.name: float(c.max_score) for c in entry.grade_cells}
            self.solutions = {c.name for c in entry.solution_cells}
            self.known = {c.name for c in entry.source_cells}
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        meta = cell.metadata.get("nbgrader", {})
        name = meta.get("grade_id")
        if name in self.known:
            # nbgrader restores source, type, lock and points, not these flags: a cleared grade
            # flag fails its checksum check and with it the student's whole submission
            wanted = {"grade": name in self.points, "solution": name in self.solutions}
            for flag, want in wanted.items():
                if bool(meta.get(flag)) != want:
                    self.report_change(name, flag, want, meta.get(flag))
                    meta[flag] = want
            if meta["grade"]:
                meta.setdefault("points", self.points[name])
            else:
                meta.pop("points", None)
        elif "nbgrader" in cell.metadata:
            # not a cell of the assignment (made up or duplicated by the student): an ordinary
            # cell.  nbgrader drops only its grade_id, and then fails the whole submission on
            # the rest (CheckCellMetadata, or a KeyError when re-adding missing cells)
            if any(meta.get(flag) for flag in ("grade", "solution", "locked", "task")):
                self.log.warning("Cell %s is not in the database: nbgrader metadata ignored", name)
            del cell.metadata["nbgrader"]
        return super().preprocess_cell(cell, resources, cell_index)

    def add_missing_grade_cells(self, nb, resources):
        """Re-add deleted grade cells after the nearest source cell still present.

        nbgrader's version looks only at the directly preceding source cell and raises
        KeyError when that one is gone too (e.g. a notebook without nbgrader metadata).
        """
        entry = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        sources = list(entry.source_cells)
        for position, source in enumerate(sources):
            ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
            if source.name not in self.points or source.name in ids:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", source.name)
            before = [ids.index(s.name) for s in sources[:position] if s.name in ids]
            cell = self.missing_cell_transform(source, self.points[source.name],
                                               is_solution=source.name in self.solutions)
            if nb.nbformat_minor >= 5:   # nbformat 4.5 wants cell ids (nbgrader adds none)
                cell["id"] = generate_corpus_id()
            nb.cells.insert(max(before) + 1 if before else 0, cell)
        return nb, resources


def stdout(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


class SandboxedGrading(NbGraderPreprocessor):
    """Score grade cells with gradekit's sandboxed graders instead of executing the notebook."""

    course_root = Unicode(
        "", help="Course root holding graders/ and reference/ (default: CourseDirectory.root)."
    ).tag(config=True)
    add_figures = Bool(
        True, help="Add the feedback plots (display_data) to the grade cells they belong to."
    ).tag(config=True)
    failure_name = Unicode(
        "GradeFailed", help="ename of the error output that gives a grade cell 0 points."
    ).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        for cell in nb.cells:   # saved outputs must never count; ClearOutput ran, be sure anyway
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        course = Course(self.course_root or CourseDirectory(config=self.config).root)
        try:
            result = self.grade(course, info["assignment"], info["notebook"], nb)
        except Exception as exc:   # nbgrader must go on with the next student, no traceback
            self.log.error("gradekit could not grade %s of %s: %s", info["notebook"],
                           info["student"], exc, exc_info=self.log.isEnabledFor(logging.DEBUG))
            self.fail_all(nb, "grading infrastructure failed (not your fault; the instructors "
                              "will regrade)")
            return nb, resources
        if result.status != Status.GRADED:
            self.log.warning("%s of %s rejected: %s", info["notebook"], info["student"],
                             result.error)
            self.fail_all(nb, f"notebook rejected: {result.error}")
            return nb, resources
        self.log.info("gradekit: %s of %s: %.2f / %.2f points in %.1f s (sandbox: %s)",
                      info["notebook"], info["student"], result.score, result.max_score,
                      result.duration_s, result.sandbox)
        self.write_scores(nb, result)
        self.write_load_errors(nb, result)
        if self.add_figures:
            self.write_figures(nb, result, course)
        return nb, resources

    @staticmethod
    def grade(course, assignment, notebook_id, nb):
        """The sanitized notebook graded as an upload of its bytes (gradekit.dispatch)."""
        return grader_for(course, course.assignment(assignment)).grade(
            f"{notebook_id}.ipynb", nbformat.writes(nb).encode("utf-8"))

    @staticmethod
    def grade_cells(nb):
        """Autograded cells: code grade cells that are not also (manually graded) answers."""
        return {c.metadata.nbgrader["grade_id"]: c for c in nb.cells
                if c.cell_type == "code" and utils.is_grade(c) and not utils.is_solution(c)}

    def error(self, summary, lines):
        return nbformat.v4.new_output("error", ename=self.failure_name, evalue=summary,
                                      traceback=[f"{self.failure_name}: {summary}"] + lines)

    def fail_all(self, nb, reason):
        for cell in self.grade_cells(nb).values():
            cell.outputs = [self.error(reason, [])]

    def write_scores(self, nb, result):
        by_cell = {}
        for test in result.tests:
            by_cell.setdefault(test.cell, []).append(test)
        cells = self.grade_cells(nb)
        for name in sorted(set(by_cell) - set(cells)):
            self.log.warning("graders score cell %s, which the notebook does not have", name)
        for name, cell in cells.items():
            if name not in by_cell:   # nbgrader would give an empty grade cell full points
                self.log.warning("no grader scores grade cell %s: it gets 0 points", name)
                cell.outputs = [self.error("no grader checks this cell, so it gets 0 points "
                                           "(not your fault; tell the instructors)", [])]
            else:
                cell.outputs = self.score_outputs(name, float(cell.metadata.nbgrader["points"]),
                                                  by_cell[name])

    def score_outputs(self, name, points, tests):
        """Outputs that nbgrader's determine_grade scores as the graders did."""
        got, most = sum(t.score for t in tests), sum(t.max_score for t in tests)
        if abs(most - points) > 1e-9:
            self.log.warning("grade cell %s is worth %g points, its graders %g: scaled",
                             name, points, most)
        score = round(points * got / most, 4) if most > 0 else points
        lines = [line for test in tests for line in report_lines(test)]
        if score >= points - 1e-9:
            return [stdout("\n".join(lines) + "\n")]
        if score <= 1e-9:
            failed = next(t for t in tests if t.status != "passed")
            first = (visible_output(failed).splitlines() or [failed.status])[0]
            return [self.error(f"{got:g} / {most:g} points: {first}", lines)]
        return [stdout("\n".join(lines) + "\n"),
                nbformat.v4.new_output("execute_result", data={"text/plain": repr(score)},
                                       execution_count=None)]

    def write_load_errors(self, nb, result):
        """Show on the student's own cells which ones failed to run (never a grade cell)."""
        code = [c for c in nb.cells if c.cell_type == "code"]
        for item in result.load:
            match = UNIT_LABEL.match(item["unit"])
            if match and int(match.group(1)) <= len(code):
                cell = code[int(match.group(1)) - 1]
                if not utils.is_grade(cell):
                    cell.outputs.append(stdout(f"When graded, this cell stopped with an error "
                                               f"(the rest was still graded): {item['error']}\n"))

    def write_figures(self, nb, result, course):
        cells = self.grade_cells(nb)
        for picture in pictures(result, course):
            cell = cells.get(picture.cell)
            if cell is None:
                continue
            if picture.png:   # display_data does not change nbgrader's score
                data = {"image/png": base64.b64encode(picture.png).decode("ascii"),
                        "text/plain": picture.caption}
                cell.outputs.append(nbformat.v4.new_output(
                    "display_data", data=data, metadata={"image/png": {"alt": picture.caption}}))
                continue
            note = stdout(f"(no picture: {picture.missing})\n")
            if note not in cell.outputs:   # two pictures of one missing run: say it once
                cell.outputs.append(note)

"""How a graded attempt is shown: the pinned text and JSON reports, Gradescope results, the feedback page."""

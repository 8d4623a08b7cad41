"""The trusted side of grading: pytest graders, results and the run of one submission."""

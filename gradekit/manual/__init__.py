"""Human grading: questions of a notebook that people grade, rubrics, grades tied to the
answers they judged, published feedback and regrade requests.  Never runs student code."""

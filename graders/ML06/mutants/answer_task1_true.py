# gradekit-mutant: answers task 1 'can one perceptron classify data_1?' with True
# must-fail: answers
# base: vectorised
ANSWER_TASK1 = True

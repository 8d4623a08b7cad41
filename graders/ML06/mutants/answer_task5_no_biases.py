# gradekit-mutant: counts the 2-2-1 weights without biases: ANSWER_TASK5 = 6
# must-fail: answers
# base: loops
ANSWER_TASK5 = 6  # 2*2 + 2*1 weights

# gradekit-mutant: XOR_HIDDEN = 1: one hidden unit cannot solve XOR
# must-fail: xor
# base: vectorised
XOR_HIDDEN = 1

# gradekit-mutant: make_xor_mlp has a single hidden unit
# must-fail: xor
# base: loops
from sklearn.neural_network import MLPClassifier


def make_xor_mlp():
    return MLPClassifier(hidden_layer_sizes=(1,), activation='logistic', solver='lbfgs', max_iter=3000)

# gradekit-mutant: make_mlp_221 uses activation='relu'
# must-fail: sklearn_221
# base: loops
from sklearn.neural_network import MLPClassifier


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2,), activation='relu', solver='lbfgs', max_iter=3000)

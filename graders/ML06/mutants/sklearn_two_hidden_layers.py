# gradekit-mutant: make_mlp_221 uses hidden_layer_sizes=(2, 2)
# must-fail: sklearn_221
# base: vectorised
from sklearn.neural_network import MLPClassifier


def make_mlp_221():
    return MLPClassifier(hidden_layer_sizes=(2, 2), activation='logistic', solver='lbfgs', max_iter=5000)

# gradekit-mutant: predict returns the probabilities y_hat instead of labels
# must-fail: predict
# base: vectorised
def predict(X, W1, w2):
    _, y_hat = forward(X, W1, w2)
    return y_hat

"""Templates of forward, loss and gradients of the varied class (similarity_varied.py
explains the markers and holds the other functions)."""

BIAS = "<<np.concatenate(([1.0], {0}))||np.append(1.0, {0})||np.r_[1.0, {0}]||np.hstack([1.0, {0}])>>"

FORWARD = [
    '''def forward(X, W1, w2):
    assert X.ndim == 2  #?
    <<Xb = _with_bias(X)
    A = Xb @ W1.T||A = _with_bias(X) @ W1.T||A = X @ W1[:, 1:].T + W1[:, 0]||A = (W1 @ _with_bias(X).T).T>>
    Z = sigmoid(A)
    <<y_hat = sigmoid(_with_bias(Z) @ w2)||s = _with_bias(Z) @ w2
    y_hat = sigmoid(s)||y_hat = sigmoid(Z @ w2[1:] + w2[0])>>
    return Z, y_hat
''',
    '''def forward(X, W1, w2):
    <<X = np.asarray(X, dtype=float)
    ||>>N, H = <<X.shape[0]||len(X)>>, <<W1.shape[0]||len(W1)>>
    Z = np.zeros((N, H))
    for j in range(H):
        <<Z[:, j] = sigmoid(W1[j, 0] + W1[j, 1] * X[:, 0] + W1[j, 2] * X[:, 1])||Z[:, j] = sigmoid(X @ W1[j, 1:] + W1[j, 0])||a = W1[j, 0] + X @ W1[j, 1:]
        Z[:, j] = sigmoid(a)>>
    <<s = np.full(N, w2[0])
    for j in range(H):
        s = s + w2[j + 1] * Z[:, j]||s = w2[0] + Z @ w2[1:]||s = np.sum(Z * w2[1:], axis=1) + w2[0]>>
    return Z, sigmoid(s)
''',
    '''def forward(X, W1, w2):
    ones = np.ones((<<X.shape[0]||len(X)>>, 1))
    inputs = <<np.concatenate([ones, X], axis=1)||np.hstack([ones, X])>>
    hidden = sigmoid(np.einsum(<<"ni,ji->nj", inputs, W1||"ji,ni->nj", W1, inputs>>))
    <<out = sigmoid(np.einsum("nj,j->n", np.hstack([ones, hidden]), w2))||out = sigmoid(np.einsum("nj,j->n", hidden, w2[1:]) + w2[0])>>
    return hidden, out
''',
    '''def forward(X, W1, w2):
    Xb = <<np.column_stack([np.ones(len(X)), X]).T||np.vstack([np.ones(len(X)), X.T])>>
    Zt = sigmoid(W1.dot(Xb))
    <<Zb = np.vstack([np.ones((1, Zt.shape[1])), Zt])
    y = sigmoid(w2.reshape(1, -1).dot(Zb)).ravel()||y = sigmoid(w2[1:].dot(Zt) + w2[0])>>
    return Zt.T, y
''',
    '''def forward(X, W1, w2):
    N = <<len(X)||X.shape[0]>>
    Z = np.zeros((N, <<len(W1)||W1.shape[0]>>))  #~
    y_hat = np.zeros(N)  #~
    for n in range(N):
        x = ''' + BIAS.format("X[n]") + '''
        z = sigmoid(W1 @ x)
        Z[n] = z  #~
        y_hat[n] = sigmoid(<<w2[0] + w2[1:] @ z||w2 @ ''' + BIAS.format("z") + '''>>)  #~
    return Z, y_hat
''',
]

LOSS = [
    '''def loss(y, y_hat):
    <<p = np.clip(y_hat, 1e-12, 1 - 1e-12)||p = np.clip(y_hat, 1e-9, 1 - 1e-9)||p = np.asarray(y_hat, dtype=float)>>
    <<terms = y * np.log(p) + (1 - y) * np.log(1 - p)
    return float(<<-np.mean(terms)||-terms.sum() / len(y)||np.mean(-terms)>>)||return float(np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)))||return -float(np.sum(y * np.log(p)) + np.sum((1 - y) * np.log(1 - p))) / len(y)>>
''',
    '''def loss(y, y_hat):
    eps = <<1e-15||1e-12>>
    <<y_hat = np.minimum(np.maximum(y_hat, eps), 1 - eps)
    ||>>total = 0.0
    for t, p in zip(y, y_hat):
        <<total += -(t * np.log(p) + (1 - t) * np.log(1 - p))||total -= t * np.log(p) + (1 - t) * np.log(1 - p)||total += -np.log(p) if t == 1 else -np.log(1 - p)>>
    return float(total / len(y))
''',
    '''def loss(y, y_hat):
    <<y_hat = np.clip(y_hat, 1e-10, 1 - 1e-10)
    ||>>terms = np.where(y == 1, np.log(y_hat), np.log(1 - y_hat))
    return <<-float(terms.sum()) / len(y)||float(-terms.mean())>>
''',
    '''def loss(y, y_hat):
    y = np.asarray(y, dtype=float)  #?
    q = <<np.clip(np.asarray(y_hat, dtype=float), 1e-9, 1 - 1e-9)||np.asarray(y_hat, dtype=float)>>
    ce = <<-(y @ np.log(q) + (1 - y) @ np.log(1 - q))||-(np.dot(y, np.log(q)) + np.dot(1 - y, np.log(1 - q)))>>
    return float(ce / <<y.size||len(y)>>)
''',
]

GRADIENTS = [
    '''def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)  #?
    y = np.asarray(y, dtype=float).ravel()  #?
    assert len(X) == len(y)  #?
    N = <<len(X)||X.shape[0]||len(y)>>
    Z, y_hat = forward(X, W1, w2)
    delta3 = y_hat - y
    <<dw2 = _with_bias(Z).T @ delta3||dw2 = np.concatenate(([delta3.sum()], Z.T @ delta3))||dw2 = delta3 @ _with_bias(Z)>>  #~
    <<delta_hidden = Z * (1 - Z) * np.outer(delta3, w2[1:])||delta_hidden = delta3[:, None] * w2[1:] * (Z - Z ** 2)||delta_hidden = (delta3.reshape(-1, 1) @ w2[1:].reshape(1, -1)) * Z * (1 - Z)>>  #~
    <<dW1 = delta_hidden.T @ _with_bias(X)||dW1 = np.column_stack([delta_hidden.sum(axis=0), delta_hidden.T @ X])||dW1 = (_with_bias(X).T @ delta_hidden).T>>  #~+
    return <<dW1 / N, dw2 / N||dW1 / len(X), dw2 / len(X)>>
''',
    '''def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)  #?
    y = np.asarray(y, dtype=float).ravel()  #?
    H = W1.shape[0]  #?
    dW1 = np.zeros_like(W1)  #~
    dw2 = np.zeros_like(w2)  #~
    for n in range(<<len(X)||X.shape[0]>>):
        x = ''' + BIAS.format("X[n]") + '''
        z = sigmoid(W1 @ x)
        zb = ''' + BIAS.format("z") + '''
        <<d3 = sigmoid(w2 @ zb) - y[n]||out = sigmoid(w2 @ zb)
        d3 = out - y[n]||d3 = sigmoid(w2[0] + w2[1:] @ z) - y[n]>>
        dw2 += d3 * zb  #~
        <<for j in range(len(z)):  #~
            dW1[j] += z[j] * (1 - z[j]) * w2[j + 1] * d3 * x||dh = d3 * w2[1:] * z * (1 - z)  #~+
        dW1 += np.outer(dh, x)||dW1 += np.outer(d3 * w2[1:] * z * (1 - z), x)>>  #~+
    <<return dW1 / len(X), dw2 / len(X)||dW1 /= len(X)
    dw2 /= len(X)
    return dW1, dw2>>
''',
    '''def gradients(X, y, W1, w2):
    y = np.asarray(y, dtype=float).ravel()  #?
    X = np.asarray(X, dtype=float)  #?
    assert len(X) == len(y)  #?
    Xb = <<np.hstack([np.ones((X.shape[0], 1)), X])||_with_bias(X)>>
    <<Z = sigmoid(np.einsum("ni,ji->nj", Xb, W1))||A = np.einsum("ni,ji->nj", Xb, W1)
    Z = sigmoid(A)>>
    Zb = <<np.hstack([np.ones((Z.shape[0], 1)), Z])||_with_bias(Z)>>
    <<err = sigmoid(np.einsum("nj,j->n", Zb, w2)) - y||y_hat = sigmoid(np.einsum("nj,j->n", Zb, w2))
    err = y_hat - y>>
    grad_out = np.einsum("n,nj->j", err, Zb)  #~
    <<back = np.einsum("n,j->nj", err, w2[1:]) * Z * (1 - Z)||back = np.einsum("n,j,nj->nj", err, w2[1:], Z * (1 - Z))>>  #~
    grad_hidden = np.einsum("nj,ni->ji", back, Xb)  #~+
    <<grad_out, grad_hidden = grad_out / len(y), grad_hidden / len(y)
    return grad_hidden, grad_out||return grad_hidden / len(y), grad_out / len(y)>>
''',
    '''def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)  #?
    assert len(X) == len(y)  #?
    n = <<X.shape[0]||len(X)>>
    Xb = <<np.column_stack([np.ones(n), X]).T||np.vstack([np.ones(n), X.T])>>
    <<Zt = sigmoid(W1.dot(Xb))||At = W1.dot(Xb)
    Zt = sigmoid(At)>>
    Zb = np.vstack([np.ones((1, n)), Zt])
    yh = <<sigmoid(w2.reshape(1, -1).dot(Zb))||sigmoid(w2.dot(Zb)).reshape(1, -1)>>
    d3 = yh - <<y.reshape(1, -1)||np.asarray(y, dtype=float).reshape(1, -1)>>
    g2 = d3.dot(Zb.T).ravel()  #~
    dh = <<(w2[1:].reshape(-1, 1).dot(d3)) * Zt * (1 - Zt)||np.outer(w2[1:], d3) * Zt * (1 - Zt)>>  #~
    g1 = dh.dot(Xb.T)  #~+
    return g1 / n, g2 / n
''',
    '''def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)  #?
    assert len(X) == len(y)  #?
    y = np.asarray(y, dtype=float).ravel()  #?
    Z, y_hat = forward(X, W1, w2)
    N = <<X.shape[0]||len(y)>>
    e = <<(y_hat - y) / N||np.subtract(y_hat, y) / N>>
    dw2 = <<np.array([e.sum()] + [np.sum(e * Z[:, j]) for j in range(Z.shape[1])])||np.concatenate(([e.sum()], e @ Z))>>  #~
    dW1 = np.zeros(W1.shape)  #~
    for j in range(<<W1.shape[0]||len(W1)>>):  #~+
        dj = e * w2[j + 1] * <<Z[:, j] * (1 - Z[:, j])||(Z[:, j] - Z[:, j] ** 2)>>  #~+
        <<dW1[j] = [dj.sum(), dj @ X[:, 0], dj @ X[:, 1]]||dW1[j, 0] = dj.sum()  #~+
        dW1[j, 1:] = dj @ X>>  #~+
    return dW1, dw2
''',
    '''def gradients(X, y, W1, w2):
    X = np.asarray(X, dtype=float)  #?
    assert len(X) == len(y)  #?
    y = np.asarray(y, dtype=float).ravel()  #?
    Xb = _with_bias(X)
    <<A1 = Xb @ W1.T
    Z = sigmoid(A1)||Z = sigmoid(Xb @ W1.T)>>
    Zb = _with_bias(Z)
    <<y_hat = sigmoid(Zb @ w2)||a2 = Zb @ w2
    y_hat = sigmoid(a2)>>
    dL_da2 = (y_hat - y) / <<len(y)||y_hat.size>>
    grad_w2 = <<Zb.T @ dL_da2||np.sum(Zb * dL_da2[:, None], axis=0)>>  #~
    dL_dZ = np.outer(dL_da2, w2[1:])  #~
    dL_dA1 = dL_dZ * <<Z * (1 - Z)||(Z - Z * Z)>>  #~+
    grad_W1 = <<dL_dA1.T @ Xb||(Xb.T @ dL_dA1).T>>  #~+
    return grad_W1, grad_w2
''',
]

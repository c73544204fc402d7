"""The chapter's program in NumPy, vectorised per minibatch: the gradient of the squared loss by
hand (NumPy has no autograd), float32 throughout, a fresh permutation per epoch."""
import numpy as np

import common

a = common.args(__doc__)
rng = np.random.default_rng(42)
true_w = np.array(common.true_w(a.features), dtype=np.float32)
true_b = np.float32(4.2)


def synthetic_data(w, b, num_examples):
    X = rng.standard_normal((num_examples, len(w)), dtype=np.float32)
    y = X @ w + b
    y += np.float32(0.01) * rng.standard_normal(y.shape, dtype=np.float32)
    return X, y


features, labels = synthetic_data(true_w, true_b, a.examples)
lr, batch_size = np.float32(a.lr), a.batch_size
w = (np.float32(0.01) * rng.standard_normal(a.features, dtype=np.float32))
b = np.zeros(1, dtype=np.float32)


def squared_loss(y_hat, y):
    return (y_hat - y) ** 2 / 2


def train(report):
    global w, b
    n = len(features)
    loss = None
    for epoch in range(a.epochs):
        order = rng.permutation(n)
        for i in range(0, n, batch_size):
            j = order[i:i + batch_size]
            X, y = features[j], labels[j]
            r = X @ w + b - y                       # linreg, minus the labels
            w -= lr * (r @ X) / batch_size           # sgd on squared_loss's gradient
            b -= lr * r.sum() / batch_size
        loss = float(squared_loss(features @ w + b, labels).mean())
        report(f"epoch {epoch + 1}, loss {loss:f}")
    return loss


common.main(train, lambda: (true_w - w, true_b - b))

"""The chapter's code in PyTorch, as d2l.ai writes it: data_iter over a shuffled Python list,
autograd for the gradients, sgd dividing by the batch size."""
import random

import torch

import common

a = common.args(__doc__)
torch.manual_seed(42)
random.seed(42)


def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


true_w = torch.tensor(common.true_w(a.features))
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, a.examples)


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


w = torch.normal(0, 0.01, size=(a.features, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr, num_epochs, batch_size = a.lr, a.epochs, a.batch_size
net, loss = linreg, squared_loss


def train(report):
    train_l = None
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            l = loss(net(X, w, b), y)
            l.sum().backward()
            sgd([w, b], lr, batch_size)
        with torch.no_grad():
            train_l = float(loss(net(features, w, b), labels).mean())
            report(f'epoch {epoch + 1}, loss {train_l:f}')
    return train_l


common.main(train, lambda: (true_w - w.reshape(true_w.shape), true_b - b))

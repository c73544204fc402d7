"""The chapter in PyTorch, hand-tuned: no autograd (the squared loss's gradient by hand), buffers
allocated once, index_select into them, updates in place, a permutation from torch.randperm."""
import torch

import common

a = common.args(__doc__)
torch.manual_seed(42)
n, d, bs, lr = a.examples, a.features, a.batch_size, a.lr
true_w = torch.tensor(common.true_w(d))
true_b = 4.2
features = torch.randn(n, d)
labels = features @ true_w + true_b + 0.01 * torch.randn(n)
w = 0.01 * torch.randn(d)
b = torch.zeros(1)
Xb, yb, r, gw = torch.empty(bs, d), torch.empty(bs), torch.empty(bs), torch.empty(d)
full = torch.empty(n)


@torch.no_grad()
def train(report):
    loss = None
    for epoch in range(a.epochs):
        order = torch.randperm(n)
        for i in range(0, n, bs):
            j = order[i:i + bs]
            m = len(j)
            X, y, res = Xb[:m], yb[:m], r[:m]
            torch.index_select(features, 0, j, out=X)
            torch.index_select(labels, 0, j, out=y)
            torch.mv(X, w, out=res)
            res.add_(b).sub_(y)
            torch.mv(X.t(), res, out=gw)
            w.add_(gw, alpha=-lr / bs)
            b.sub_(res.sum() * (lr / bs))
        torch.mv(features, w, out=full)
        full.add_(b).sub_(labels)
        loss = float(full.square().mean() / 2)
        report(f"epoch {epoch + 1}, loss {loss:f}")
    return loss


common.main(train, lambda: (true_w - w, true_b - b))

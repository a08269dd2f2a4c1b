"""A plain PyTorch implementation of ConvLab's DCGAN (same layers, losses and optimizer), used only as the
reference in bench/train.py. Run as a script it prints seconds per iteration on the CPU (its own process: PyTorch
beside TensorFlow in one process crashed or ran ~12x slower here)."""
import argparse
import time

import torch
from torch import nn


def same_transpose(cin, cout, stride, bias=False):
    # Keras Conv2DTranspose(kernel 5, padding="same"): stride 1 -> padding 2; stride 2 -> padding 2 + output_padding 1
    return nn.ConvTranspose2d(cin, cout, 5, stride, padding=2, output_padding=stride - 1, bias=bias)


class Generator(nn.Module):
    def __init__(self, noise_dim=100, channels=1, width=1.0, hw=28):
        super().__init__()
        f = lambda n: max(4, int(round(n * width)))  # noqa: E731
        self.base, self.c0 = hw // 4, f(256)
        self.fc = nn.Sequential(nn.Linear(noise_dim, self.base * self.base * self.c0, bias=False),
                                nn.BatchNorm1d(self.base * self.base * self.c0, eps=1e-3, momentum=0.01),
                                nn.LeakyReLU(0.2))
        self.net = nn.Sequential(
            same_transpose(self.c0, f(128), 1), nn.BatchNorm2d(f(128), eps=1e-3, momentum=0.01), nn.LeakyReLU(0.2),
            same_transpose(f(128), f(64), 2), nn.BatchNorm2d(f(64), eps=1e-3, momentum=0.01), nn.LeakyReLU(0.2),
            same_transpose(f(64), channels, 2, bias=True), nn.Tanh())

    def forward(self, z):
        return self.net(self.fc(z).view(-1, self.c0, self.base, self.base))


class Discriminator(nn.Module):
    def __init__(self, channels=1, width=1.0, hw=28, dropout=0.3):
        super().__init__()
        f = lambda n: max(4, int(round(n * width)))  # noqa: E731
        self.net = nn.Sequential(
            nn.Conv2d(channels, f(64), 5, 2, padding=2), nn.LeakyReLU(0.2), nn.Dropout(dropout),
            nn.Conv2d(f(64), f(128), 5, 2, padding=2), nn.LeakyReLU(0.2), nn.Dropout(dropout),
            nn.Flatten(), nn.Linear(f(128) * (hw // 4) * (hw // 4), 1))

    def forward(self, x):
        return self.net(x)


def train_steps(x_nchw: torch.Tensor, steps: int, batch: int = 256, width: float = 1.0, noise_dim: int = 100,
                device: str = "cuda", seed: int = 0, lr: float = 2e-4, dropout: float = 0.3):
    """Run `steps` GAN iterations (D on real+fake, then G), looping over x. Returns the last (d_loss, g_loss)."""
    torch.manual_seed(seed)
    g, d = Generator(noise_dim, x_nchw.shape[1], width, x_nchw.shape[2]).to(device), \
        Discriminator(x_nchw.shape[1], width, x_nchw.shape[2], dropout).to(device)
    opt_g = torch.optim.Adam(g.parameters(), lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr, betas=(0.5, 0.999))
    loss = nn.BCEWithLogitsLoss()
    ones, zeros = torch.ones(batch, 1, device=device), torch.zeros(batch, 1, device=device)
    n = len(x_nchw)
    for step in range(steps):
        i = (step * batch) % (n - batch + 1)
        real = x_nchw[i: i + batch]
        fake = g(torch.randn(batch, noise_dim, device=device))
        opt_d.zero_grad(set_to_none=True)
        d_loss = loss(d(torch.cat([real, fake.detach()])), torch.cat([ones, zeros]))
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad(set_to_none=True)
        g_loss = loss(d(g(torch.randn(batch, noise_dim, device=device))), ones)
        g_loss.backward()
        opt_g.step()
    return float(d_loss.detach()), float(g_loss.detach())


if __name__ == "__main__":
    p = argparse.ArgumentParser(description="seconds per DCGAN iteration of a plain PyTorch step on the CPU")
    p.add_argument("--width", type=float, default=0.25)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    x = torch.rand(4096, 1, 28, 28) * 2 - 1
    train_steps(x, 20, a.batch, a.width, device="cpu", lr=1e-3, dropout=a.dropout)
    t = time.perf_counter()
    train_steps(x, a.steps, a.batch, a.width, device="cpu", lr=1e-3, dropout=a.dropout)
    print(f"{(time.perf_counter() - t) / a.steps:.5f}")

"""PyTorch's side of trainer_vs_pytorch: the same MLP, optimiser, batch and threads as
trainer_throughput. Prints one JSON object per timed epoch."""
import argparse
import json
import time

import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 1024), torch.nn.ReLU(),
        torch.nn.Linear(1024, 1024), torch.nn.ReLU(),
        torch.nn.Linear(1024, 10))
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()
    samples = a.steps * a.batch
    x = torch.rand(samples, 784) - 0.5
    y = torch.arange(samples) % 10

    def epoch():
        order = torch.randperm(samples)
        start = time.perf_counter()
        for s in range(a.steps):
            rows = order[s * a.batch:(s + 1) * a.batch]
            optimiser.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[rows]), y[rows])
            loss.backward()
            optimiser.step()
        return samples / (time.perf_counter() - start)

    epoch()  # warm-up
    for _ in range(a.repeats):
        print(json.dumps({"samples_per_s": round(epoch(), 1), "batch": a.batch,
                          "threads": torch.get_num_threads()}), flush=True)


if __name__ == "__main__":
    main()

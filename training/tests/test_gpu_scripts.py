"""Argument checks of gpu_run.sh and finish_run.sh: each refusal happens before any training or export starts.
The whole pipeline (train -> pack -> export -> C# Eval CLI) is proven by the CPU dry run recorded in RUNS.md."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO

GPU_RUN = REPO / "training" / "gpu_run.sh"
FINISH_RUN = REPO / "training" / "finish_run.sh"
SETTINGS = ("OUT", "DATA", "PRESET", "PRETRAIN_MIN", "TRAIN_MIN", "EVAL_ROWS", "EVAL_SECONDS", "INIT",
            "SKIP_PRETRAIN", "WORK", "MAX_TOTAL_MIN")


def run(script: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return subprocess.run(["bash", str(script), *args], cwd=REPO, env={**clean, **env}, capture_output=True,
                          text=True, timeout=30)


def fake_data(tmp_path: Path, *names: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    for name in names:
        (data / name).write_bytes(b"x")
    return data


def test_gpu_run_help_lists_the_options():
    r = run(GPU_RUN, "--help")
    assert r.returncode == 0
    for option in ("--init", "--skip-pretrain", "--pretrain-min", "--train-min", "--eval-rows", "--out"):
        assert option in r.stdout


@pytest.mark.parametrize("args, env, message", [
    ((), {}, "--out (or $OUT) is required"),
    (("--out", "/tmp/x", "--bogus"), {}, "unknown option '--bogus'"),
    (("--out",), {}, "--out needs a value"),
    (("--out", "/tmp/x", "--train-min", "abc"), {}, "TRAIN_MIN must be a number"),
    (("--out", "/tmp/x", "--train-min", "0"), {}, "--train-min must be > 0"),
    (("--out", "/tmp/x", "--eval-rows", "-1"), {}, "EVAL_ROWS must be a whole number"),
    (("--out", "/tmp/x", "--init", "/nonexistent/packed"), {}, "--init /nonexistent/packed does not exist"),
])
def test_gpu_run_refuses_bad_arguments(args, env, message):
    r = run(GPU_RUN, *args, **env)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr


def test_gpu_run_needs_wiki_only_when_pretraining(tmp_path):
    data = fake_data(tmp_path, "tokenizer.model", "train.npz", "val.npz", "val.jsonl")
    r = run(GPU_RUN, "--out", str(tmp_path / "out"), "--data", str(data))
    assert r.returncode == 2 and f"{data}/wiki.npz missing" in r.stderr
    # Without pretraining the same data passes the checks and the budget guard is next: make it refuse.
    r = run(GPU_RUN, "--out", str(tmp_path / "out"), "--data", str(data), "--skip-pretrain", "--train-min", "20")
    assert r.returncode == 2 and "planned 21.55 min" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_gpu_run_default_plan_fits_the_ten_minute_call(tmp_path):
    data = fake_data(tmp_path, "tokenizer.model", "train.npz", "val.npz", "val.jsonl", "wiki.npz")
    # The default plan is 1 + 6.5 + 0.75 eval + 0.8 overhead = 9.05 min (under the default guard of 9.3):
    # a guard just below it refuses, naming the plan.
    r = run(GPU_RUN, "--out", str(tmp_path / "out"), "--data", str(data), "--max-total-min", "9.0")
    assert r.returncode == 2 and "planned 9.05 min" in r.stderr, r.stderr


def test_finish_run_help_and_refusals(tmp_path):
    assert run(FINISH_RUN, "--help").returncode == 0
    r = run(FINISH_RUN, str(tmp_path))
    assert r.returncode == 2 and "expected RETURNED_DIR and NAME" in r.stderr
    r = run(FINISH_RUN, str(tmp_path), "bad name")
    assert r.returncode == 2 and "NAME must be" in r.stderr
    r = run(FINISH_RUN, str(tmp_path), "ok", "--rows", "x")
    assert r.returncode == 2 and "--rows must be a whole number" in r.stderr
    r = run(FINISH_RUN, str(tmp_path), "ok")
    assert r.returncode == 2 and "checkpoint.json missing" in r.stderr
    (tmp_path / "checkpoint.json").write_text("{}")
    r = run(FINISH_RUN, str(tmp_path), "ok")
    assert r.returncode == 2 and "no model.safetensors" in r.stderr


def test_gpu_run_refuses_a_gpu_machine_without_cuda_torch(tmp_path):
    data = fake_data(tmp_path, "tokenizer.model", "train.npz", "val.npz", "val.jsonl")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "nvidia-smi").write_text("#!/bin/sh\necho 'Fake GPU, 1 MiB, 0'\n")
    (bin_dir / "nvidia-smi").chmod(0o755)
    py = bin_dir / "python-no-cuda"  # a Python whose "torch" never sees CUDA, whatever this machine has
    (tmp_path / "torch.py").write_text("__version__ = 'fake'\nclass cuda:\n    is_available = staticmethod(lambda: False)\n")
    py.write_text(f"#!/bin/sh\nPYTHONPATH={tmp_path} exec /usr/bin/python3 \"$@\"\n")
    py.chmod(0o755)
    r = run(GPU_RUN, "--out", str(tmp_path / "out"), "--data", str(data), "--skip-pretrain", "--work",
            str(tmp_path / "work"), PATH=f"{bin_dir}:{os.environ['PATH']}", PY=str(py))
    assert r.returncode == 1
    assert "torch sees no CUDA device" in r.stdout + r.stderr
    assert not (tmp_path / "work").exists()

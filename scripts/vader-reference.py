#!/usr/bin/env python3
"""Dev-only: times the reference VADER (vaderSentiment 3.3.2 from PyPI) for `npm run bench:vader-scorer`.

usage: python3 scripts/vader-reference.py [TEXT_FILE] [--runs N] [--scores OUT_TSV]

TEXT_FILE has one text per line (default: the TweetEval test tweets in the repo fixtures).
Installs vaderSentiment==3.3.2 with pip if it is missing. Prints one JSON line:
{"implementation", "texts", "runs", "wall_texts_per_s" (median), "cpu_texts_per_s" (median), ...}.
With --scores, also writes "neg neu pos compound" per line, the format of the fidelity fixtures
(3.3.2 differs from 44fc044, which generated the fixtures, only on "beating heart"/"broken heart").
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

VERSION = "3.3.2"
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_TEXTS = os.path.join(REPO_ROOT, "libs", "scoring", "test", "fixtures", "tweeteval", "test_text.txt")


def load_analyzer():
    try:
        import vaderSentiment  # noqa: F401
    except ImportError:
        print(f"installing vaderSentiment=={VERSION} ...", file=sys.stderr)
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", f"vaderSentiment=={VERSION}"],
                              stdout=sys.stderr)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    return SentimentIntensityAnalyzer()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("texts", nargs="?", default=DEFAULT_TEXTS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scores")
    args = parser.parse_args()

    with open(args.texts, encoding="utf-8") as f:
        texts = f.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    analyzer = load_analyzer()
    score = analyzer.polarity_scores

    for text in texts[:500]:  # warm-up: file caches, lazy imports
        score(text)
    wall, cpu = [], []
    for _ in range(args.runs):
        w0, c0 = time.perf_counter(), time.process_time()
        for text in texts:
            score(text)
        wall.append(len(texts) / (time.perf_counter() - w0))
        cpu.append(len(texts) / max(time.process_time() - c0, 1e-9))

    if args.scores:
        with open(args.scores, "w", encoding="utf-8") as out:
            for text in texts:
                s = score(text)
                out.write(f"{s['neg']}\t{s['neu']}\t{s['pos']}\t{s['compound']}\n")

    import vaderSentiment
    print(json.dumps({
        "implementation": f"python vaderSentiment {getattr(vaderSentiment, '__version__', VERSION)}",
        "python": sys.version.split()[0],
        "texts": len(texts),
        "runs": args.runs,
        "wall_texts_per_s": round(statistics.median(wall), 1),
        "cpu_texts_per_s": round(statistics.median(cpu), 1),
        "wall_runs": [round(r, 1) for r in wall],
    }))


if __name__ == "__main__":
    main()

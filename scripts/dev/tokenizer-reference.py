#!/usr/bin/env python3
"""Dev-only: reference token ids from Hugging Face's own (Rust-backed) RoBERTa tokenizer.

Builds RobertaTokenizerFast from a folder with vocab.json + merges.txt (no hub access), applies the
model card's tweet preprocessing, and writes one JSON line per input text:
    {"i": <line index>, "text": <raw text>, "ids": [...]}  (with <s> ... </s>, truncated at 512)
The TypeScript tokenizer's fidelity test compares against this file.

Usage:
    python3 scripts/dev/tokenizer-reference.py \
        [--tokenizer-dir libs/scoring/assets/roberta-tokenizer] \
        [--texts libs/scoring/test/fixtures/tweeteval/val_text.txt] \
        [--out libs/scoring/test/fixtures/roberta/val_token_ids.jsonl]
    python3 scripts/dev/tokenizer-reference.py --json-lines \
        --texts libs/scoring/test/fixtures/roberta/hand_case_texts.jsonl \
        --out libs/scoring/test/fixtures/roberta/hand_case_token_ids.jsonl
"""
import argparse
import importlib
import json
import os
import subprocess
import sys


def ensure_transformers():
    """pip-installs transformers (and its tokenizers wheel) when missing: a dev tool, never CI."""
    try:
        importlib.import_module("transformers")
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", "transformers", "tokenizers"])
    return importlib.import_module("transformers")


def preprocess(text):
    """The model card's preprocessing, verbatim in behaviour: split on single spaces only."""
    new_text = []
    for t in text.split(" "):
        t = "@user" if t.startswith("@") and len(t) > 1 else t
        t = "http" if t.startswith("http") else t
        new_text.append(t)
    return " ".join(new_text)


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokenizer-dir", default=os.path.join(root, "libs/scoring/assets/roberta-tokenizer"))
    parser.add_argument("--texts", default=os.path.join(root, "libs/scoring/test/fixtures/tweeteval/val_text.txt"))
    parser.add_argument("--out", default=os.path.join(root, "libs/scoring/test/fixtures/roberta/val_token_ids.jsonl"))
    parser.add_argument("--max-length", type=int, default=512)
    parser.add_argument(
        "--json-lines", action="store_true", help="--texts holds one JSON string per line (texts with newlines)"
    )
    args = parser.parse_args()

    transformers = ensure_transformers()
    # from_pretrained on a local folder (local_files_only: never the hub). transformers 5 ignores
    # vocab_file/merges_file keyword arguments in the constructor, so the folder form is the portable one.
    tok = transformers.RobertaTokenizerFast.from_pretrained(
        args.tokenizer_dir, local_files_only=True, add_prefix_space=False
    )
    # The files end with a newline per text; keep every other character (the TS side does the same).
    with open(args.texts, encoding="utf-8") as f:
        texts = f.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    if args.json_lines:
        texts = [json.loads(line) for line in texts]

    with open(args.out, "w", encoding="utf-8") as out:
        for i, text in enumerate(texts):
            ids = tok(preprocess(text), truncation=True, max_length=args.max_length)["input_ids"]
            out.write(json.dumps({"i": i, "text": text, "ids": ids}, ensure_ascii=False) + "\n")
    print(f"wrote {len(texts)} reference encodings with transformers {transformers.__version__} to {args.out}")


if __name__ == "__main__":
    main()

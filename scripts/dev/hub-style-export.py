#!/usr/bin/env python3
"""
Dev-only: the hub's way of making ONNX files, applied to the weights of a model directory the
project generated (`npm run model:full -- --dtype fp32`), so the benchmark can compare graphs that
compute the same function with the same weights.

  .cache/pyexport/bin/python scripts/dev/hub-style-export.py --model-dir .cache/models/roberta-base-random \
      --out .cache/models/roberta-base-random-hub

Writes a complete model directory (config and tokenizer files copied) with:
  onnx/model.onnx                   PyTorch's ONNX export (TorchScript exporter, opset 14, as optimum
                                    exports RoBERTa) of transformers' RobertaForSequenceClassification
  onnx/model_quantized.onnx         that export through onnxruntime's dynamic quantization with the
                                    transformers.js "q8" recipe the hub's model_quantized.onnx files
                                    come from: int8 weights, per channel, reduced range, only MatMuls
                                    with a constant B (plus Gather)
  onnx/model_fused.onnx             the export through onnxruntime's transformer optimizer
                                    (Attention, SkipLayerNormalization, BiasGelu, ... fusions)
  onnx/model_fused_quantized.onnx   the fused graph, then the same quantization

Python packages: scripts/dev/setup-export-venv.sh (pinned in scripts/dev/export-requirements.txt).
"""
import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic
from onnxruntime.transformers import optimizer
from transformers import RobertaConfig, RobertaForSequenceClassification

OPSET = 14
# transformers.js scripts/convert.py + quantize.py, mode q8, for a model type like roberta.
HUB_Q8 = dict(per_channel=True, reduce_range=True, weight_type=QuantType.QInt8, extra_options={"MatMulConstBOnly": True, "EnableSubgraph": True})


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def project_state_dict(onnx_file: Path, config: RobertaConfig) -> dict:
    """The generated fp32 graph's initializers, renamed and laid out as transformers' state dict."""
    model = onnx.load(str(onnx_file))
    tensors = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    state = {}
    linears = ["classifier.dense", "classifier.out_proj"]
    norms = ["roberta.embeddings.LayerNorm"]
    for layer in range(config.num_hidden_layers):
        p = f"roberta.encoder.layer.{layer}"
        linears += [f"{p}.attention.self.query", f"{p}.attention.self.key", f"{p}.attention.self.value",
                    f"{p}.attention.output.dense", f"{p}.intermediate.dense", f"{p}.output.dense"]
        norms += [f"{p}.attention.output.LayerNorm", f"{p}.output.LayerNorm"]
    for name in linears:
        # The builder stores W as [in, out] for x @ W; torch.nn.Linear keeps [out, in].
        state[f"{name}.weight"] = torch.from_numpy(np.ascontiguousarray(tensors[f"{name}.weight"].T))
        state[f"{name}.bias"] = torch.from_numpy(tensors[f"{name}.bias"].copy())
    for name in norms:
        state[f"{name}.weight"] = torch.from_numpy(tensors[f"{name}.weight"].copy())
        state[f"{name}.bias"] = torch.from_numpy(tensors[f"{name}.bias"].copy())
    state["roberta.embeddings.word_embeddings.weight"] = torch.from_numpy(tensors["roberta.embeddings.word_embeddings.weight"].copy())
    state["roberta.embeddings.position_embeddings.weight"] = torch.from_numpy(tensors["roberta.embeddings.position_embeddings.weight"].copy())
    state["roberta.embeddings.token_type_embeddings.weight"] = torch.from_numpy(
        tensors["roberta.embeddings.token_type_embeddings.weight"].reshape(1, -1).copy())
    return state


def sample_inputs(batch: int, seq: int, pad: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    ids = rng.integers(4, 50000, size=(batch, seq), dtype=np.int64)
    mask = np.ones((batch, seq), dtype=np.int64)
    ids[:, 0] = 0
    # Last row padded after half its length: checks the mask and RoBERTa's position ids too.
    half = seq // 2
    ids[-1, half - 1] = 2
    ids[-1, half:] = pad
    mask[-1, half:] = 0
    ids[:-1, -1] = 2
    return ids, mask


def ort_logits(onnx_file: Path, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    session = ort.InferenceSession(str(onnx_file), opts, providers=["CPUExecutionProvider"])
    return session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]


def op_counts(onnx_file: Path) -> dict:
    counts: dict = {}
    for node in onnx.load(str(onnx_file), load_external_data=False).graph.node:
        counts[node.op_type] = counts.get(node.op_type, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True, help="a model directory with the generated fp32 onnx/model.onnx")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    src, out = Path(args.model_dir), Path(args.out)
    (out / "onnx").mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.is_file():
            shutil.copy2(f, out / f.name)
    cfg_json = json.loads((src / "config.json").read_text())
    cfg_json["sentiment_test_model"] = f"hub-style export of {src.name}: {cfg_json.get('sentiment_test_model', '')}"
    (out / "config.json").write_text(json.dumps(cfg_json, indent=2) + "\n")

    config = RobertaConfig.from_dict(cfg_json)
    config._attn_implementation = "eager"
    torch.manual_seed(0)
    model = RobertaForSequenceClassification(config).eval()
    model.load_state_dict(project_state_dict(src / "onnx" / "model.onnx", config), strict=True)

    ids, mask = sample_inputs(3, 24, config.pad_token_id)
    with torch.no_grad():
        ref = model(input_ids=torch.from_numpy(ids), attention_mask=torch.from_numpy(mask)).logits.numpy()
    generated = ort_logits(src / "onnx" / "model.onnx", ids, mask)
    log(f"same weights: |torch - generated fp32 graph| max {np.abs(ref - generated).max():.2e} (logits up to {np.abs(ref).max():.3f})")

    fp32 = out / "onnx" / "model.onnx"
    with torch.no_grad():
        torch.onnx.export(
            model,
            (torch.from_numpy(ids), torch.from_numpy(mask)),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_axes={"input_ids": {0: "batch_size", 1: "sequence_length"},
                          "attention_mask": {0: "batch_size", 1: "sequence_length"},
                          "logits": {0: "batch_size"}},
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )
    log(f"export: {fp32} {op_counts(fp32)}")

    fused = out / "onnx" / "model_fused.onnx"
    opt = optimizer.optimize_model(str(fp32), model_type="bert", num_heads=config.num_attention_heads, hidden_size=config.hidden_size)
    log(f"optimizer fusions: {opt.get_fused_operator_statistics()}")
    opt.save_model_to_file(str(fused))

    quantized = out / "onnx" / "model_quantized.onnx"
    quantize_dynamic(str(fp32), str(quantized), **HUB_Q8)
    fused_quantized = out / "onnx" / "model_fused_quantized.onnx"
    # Shape inference stops at the contrib ops (Attention, SkipLayerNormalization): tell the quantizer
    # the tensors it cannot type are float, as onnxruntime's error message suggests.
    fused_q8 = {**HUB_Q8, "extra_options": {**HUB_Q8["extra_options"], "DefaultTensorType": onnx.TensorProto.FLOAT}}
    quantize_dynamic(str(fused), str(fused_quantized), **fused_q8)

    for f in (fp32, quantized, fused, fused_quantized):
        got = ort_logits(f, ids, mask)
        log(f"{f.name}: {f.stat().st_size / 1e6:.1f} MB, |logits - torch| max {np.abs(got - ref).max():.2e}; ops {op_counts(f)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

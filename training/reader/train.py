"""`careerpath train reader`: the posting reader learned from postings' headed sections, as a
bundle component. Every other component reads postings through it, so training it refits
them all."""

from __future__ import annotations

import time
from typing import Any

from runtime.bundles import ComponentRecord
from runtime.components import Models
from training.bundle import Component, data_hashes
from training.inputs import TrainingInputs
from training.reader.fit import (
    DOUBT,
    HEADING_WEIGHT,
    HELD_OUT_FRACTION,
    C,
    fit_reader,
    held_out,
    labeled_parts,
    score,
)
from training.sources import load_corpus


def train_component(inputs: TrainingInputs, models: Models) -> Component:
    sources = inputs.reader_postings
    jobs = load_corpus(sources)
    learn = [job for job in jobs if not held_out(job)]
    test = [job for job in jobs if held_out(job)]
    labeled = labeled_parts(learn)
    if not labeled:
        raise ValueError("the reader learns from postings with headed sections "
                         "(\"Responsibilities:\", \"Benefits:\"...): none were found")
    started = time.perf_counter()
    reader, doubted = fit_reader(labeled)
    metrics = {"training_seconds": round(time.perf_counter() - started, 1),
               "held_out": score(reader, labeled_parts(test)),
               "postings": {"learned_from": len(learn), "held_out": len(test)},
               "labels_left_out_as_doubtful": doubted}
    parameters = {"C": C, "heading_weight": HEADING_WEIGHT, "doubt": DOUBT,
                  "held_out_fraction": HELD_OUT_FRACTION}
    return Component("reader", reader, parameters, metrics, {"postings": data_hashes(sources)})


def recorded_inputs(record: ComponentRecord) -> dict[str, Any]:
    return {"postings": [entry["path"] for entry in record.data["postings"]]}

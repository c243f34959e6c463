"""Model training, evaluation and tuning (TensorFlow lives here, never in service/)."""

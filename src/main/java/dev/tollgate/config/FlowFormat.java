package dev.tollgate.config;

/** How flow records are written: a readable line, or one JSON object per line. */
public enum FlowFormat {
    TEXT,
    JSON
}

package dev.tollgate.ca;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A forged leaf: its certificate, the shared leaf key, and the chain to present (leaf, CA). */
public record Leaf(X509Certificate certificate, PrivateKey key, X509Certificate[] chain) {}

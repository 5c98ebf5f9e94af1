package dev.tollgate.admin;

/** Answers one admin path. Runs on the admin event loop: it must not block. */
@FunctionalInterface
public interface Endpoint {
    void serve(AdminExchange exchange) throws Exception;
}

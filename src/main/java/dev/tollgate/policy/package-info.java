/**
 * Proxy policy decisions: which targets bypass the upstream proxy or interception ({@link
 * dev.tollgate.policy.NoProxyList}), and which clients may connect ({@link
 * dev.tollgate.policy.ClientAcl}).
 *
 * <p>Pure functions of their input on the JDK alone: no Netty, no I/O, and never a DNS lookup, so
 * a decision cannot block an event loop or be steered by whoever controls a resolver.
 */
package dev.tollgate.policy;

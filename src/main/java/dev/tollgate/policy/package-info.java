/**
 * Proxy policy decisions: which targets bypass the upstream proxy or interception ({@link
 * dev.tollgate.policy.NoProxyList}), which clients may connect ({@link
 * dev.tollgate.policy.ClientAcl}), who they are ({@link dev.tollgate.policy.ProxyCredentials}), and
 * where their traffic may go ({@link dev.tollgate.policy.EgressPolicy}).
 *
 * <p>Pure functions of their input on the JDK alone (plus Bouncy Castle for bcrypt): no Netty, no
 * I/O beyond reading an htpasswd file, and never a DNS lookup, so a decision cannot be steered by
 * whoever controls a resolver. The one slow decision is a bcrypt check on a credential not yet
 * cached; see {@link dev.tollgate.policy.ProxyCredentials} for keeping it off the event loop.
 */
package dev.tollgate.policy;

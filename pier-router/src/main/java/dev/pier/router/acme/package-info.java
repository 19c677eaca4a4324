/**
 * ACME HTTP-01 challenges (#12 automatic certificates): {@link dev.pier.router.acme.Http01Challenges}
 * holds the tokens the control plane is being validated for, in memory, and answers
 * {@code GET /.well-known/acme-challenge/TOKEN} for them on the router's ports, before any app
 * routing (no app is involved).
 */
package dev.pier.router.acme;

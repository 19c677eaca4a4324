/** Tokens: the admin token, checked for API bearer and git basic auth ({@code Authenticator}). */
package dev.pier.auth;

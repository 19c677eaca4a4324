/**
 * The failures every part of the control plane may raise: {@link dev.pier.errors.PlatformException}
 * carries a {@link dev.pier.errors.Problem} (status, type, title). They are mapped to the wire in
 * one place each: problem+json by {@code dev.pier.api.ApiErrors}, a rejected push with
 * {@code  !     } lines by {@code dev.pier.git.PushHook}, {@code  !     message} by the CLI.
 */
package dev.pier.errors;

/** Apps: creating, finding and destroying them ({@code AppService}), their rows ({@code AppStore}). */
package dev.pier.app;

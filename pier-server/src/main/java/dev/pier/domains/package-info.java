/**
 * Custom domains (#12): host names an app answers at besides its built-in {@code APP.DOMAIN},
 * exact ({@code www.example.com}) or wildcard ({@code *.example.com}, one label). Validated by
 * {@link dev.pier.domains.HostNames}, stored by {@link dev.pier.domains.DomainStore}, published on
 * the app's route by {@link dev.pier.routing.RoutePublisher}.
 */
package dev.pier.domains;

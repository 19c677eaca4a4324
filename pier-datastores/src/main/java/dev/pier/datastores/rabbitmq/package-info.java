/** RabbitMQ add-ons: a node per add-on with its own cookie, epmd and distribution port. */
package dev.pier.datastores.rabbitmq;

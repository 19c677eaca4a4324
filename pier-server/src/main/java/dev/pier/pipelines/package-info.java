/**
 * Pipelines as Heroku has them: apps grouped in ordered stages ({@code PipelineService},
 * {@code PipelineStore}), promotion of a stage's current slug to the next stage's apps without a
 * rebuild ({@code Promoter}) and the commits between stages ({@code PipelineDiff}).
 */
package dev.pier.pipelines;

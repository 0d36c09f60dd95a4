/**
 * The faas framework's settings: {@code FaasSettings}, every {@code mapreduce.faas.*} setting
 * of a job or client read once from its configuration and validated, a bad value named with its
 * key and what is allowed. Read by the client facade, the coordinator, the launchers, the job
 * registry and {@code marvel check}; uses nothing else of the client side.
 */
package io.marvel.faas.settings;

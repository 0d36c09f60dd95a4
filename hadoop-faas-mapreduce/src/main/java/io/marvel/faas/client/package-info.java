/**
 * The faas framework as Hadoop's job client sees it: {@code FaasClientProtocolProvider} (found
 * through {@code META-INF/services} for {@code mapreduce.framework.name=faas}) and
 * {@code FaasJobRunner}, the {@code ClientProtocol} facade, which checks a submission
 * ({@code KerberosRefusal}, {@code StagingArea}, {@code JobClassCheck}), writes its credentials
 * ({@code CredentialsFile}), hands the job to a coordinator and answers every other call from
 * one {@code JobView}: live for a job whose coordinator runs in this JVM, recorded (the job
 * registry) otherwise. {@code FaasClientJvm} holds what the jobs of one JVM share;
 * {@code ClientShutdown} kills them if the JVM exits first.
 */
package io.marvel.faas.client;

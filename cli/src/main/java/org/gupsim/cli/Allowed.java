package org.gupsim.cli;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an option that takes a value allows, in words ({@code any whole number},
 * {@code a whole number, 1..1024}), for options whose values are not a list picocli's
 * {@code completionCandidates} can give. {@link CliErrors} uses it when the value is missing
 * altogether ({@code --seed} last on the line), where the command's own check never runs; the
 * command's check says the same when the value is there but wrong. Every option that takes a
 * value has one or the other ({@code CliInputValidationTest} checks it), so a user always learns
 * what to write.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@interface Allowed {
    /** The allowed values, in words. */
    String value();
}

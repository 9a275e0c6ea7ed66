package dev.projectdashboard.e2e.suite;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the class against the one suite of this test run (started by the first class that needs it, stopped when the
 * run ends); test methods and constructors may take a {@link RunningSuite} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SuiteExtension.class)
public @interface EndToEnd {}

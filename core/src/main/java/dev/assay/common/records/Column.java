package dev.assay.common.records;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The stored name of a record component, when it is not the component's name in snake case (a
 * component {@code jsDistance} is stored as {@code js_distance} without it).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Column {
  String value();
}

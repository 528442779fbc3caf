package dev.assay.archviolation.cyclic.a;

/** Violates "no package cycles", with {@code cyclic.b.B}. */
public class A {
  public dev.assay.archviolation.cyclic.b.B b;
}

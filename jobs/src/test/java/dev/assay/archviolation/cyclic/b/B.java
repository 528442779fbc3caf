package dev.assay.archviolation.cyclic.b;

/** The other half of the cycle. */
public class B {
  public dev.assay.archviolation.cyclic.a.A a;
}

package org.crtrmotion.vm.state;

/** A stateful part of the machine that can add its architectural state to a digest. */
public interface Digestible {
  void digestInto(StateHasher hasher);
}

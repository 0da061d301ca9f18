package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.Fp.*;
import static org.crtrmotion.vm.cpu.fp.FpStatus.NV;
import static org.crtrmotion.vm.cpu.fp.SoftFloat.*;

import org.junit.jupiter.api.Test;

/** Signalling versus quiet NaN inputs, and canonical NaN outputs. */
class NaNHandlingTest {
  private final FpStatus st = new FpStatus();

  @Test
  void signallingNaNOperandRaisesInvalidAndYieldsCanonicalNaN() {
    assertD(D_QNAN, NV, addD(D_SNAN, d(1), RNE, st), st);
  }

  @Test
  void signallingNaNSecondOperandRaisesInvalid() {
    assertD(D_QNAN, NV, mulD(d(2), D_SNAN_NEG, RNE, st), st);
  }

  @Test
  void quietNaNOperandRaisesNothing() {
    assertD(D_QNAN, NONE, addD(d(1), D_QNAN, RNE, st), st);
  }

  @Test
  void quietNaNPayloadAndSignAreNotPropagated() {
    assertD(D_QNAN, NONE, mulD(D_QNAN_PAYLOAD, d(1), RNE, st), st);
  }

  @Test
  void subtractionDoesNotFlipTheCanonicalNaNSign() {
    assertD(D_QNAN, NONE, subD(d(1), D_QNAN, RNE, st), st);
  }

  @Test
  void divisionCanonicalisesNaN() {
    assertD(D_QNAN, NONE, divD(D_QNAN_PAYLOAD, D_QNAN_PAYLOAD, RNE, st), st);
  }

  @Test
  void squareRootOfSignallingNaNRaisesInvalid() {
    assertD(D_QNAN, NV, sqrtD(D_SNAN, RNE, st), st);
  }

  @Test
  void squareRootOfQuietNaNIsQuiet() {
    assertD(D_QNAN, NONE, sqrtD(D_QNAN_PAYLOAD, RNE, st), st);
  }

  @Test
  void singleSignallingNaNOperandRaisesInvalid() {
    assertS(S_QNAN, NV, subS(S_SNAN, s(1), RNE, st), st);
  }

  @Test
  void singleQuietNaNPayloadIsNotPropagated() {
    assertS(S_QNAN, NONE, divS(s(1), S_QNAN_PAYLOAD, RNE, st), st);
  }

  @Test
  void singleSquareRootOfSignallingNaNRaisesInvalid() {
    assertS(S_QNAN, NV, sqrtS(S_SNAN_NEG, RNE, st), st);
  }

  @Test
  void singleFusedSignallingNaNMultiplicandRaisesInvalid() {
    assertS(S_QNAN, NV, fnmaddS(s(1), S_SNAN, s(1), RNE, st), st);
  }

  @Test
  void narrowingQuietNaNGivesCanonicalSingleNaN() {
    assertS(S_QNAN, NONE, dToS(D_QNAN_PAYLOAD, RNE, st), st);
  }

  @Test
  void narrowingSignallingNaNRaisesInvalid() {
    assertS(S_QNAN, NV, dToS(D_SNAN, RNE, st), st);
  }

  @Test
  void wideningQuietNaNGivesCanonicalDoubleNaN() {
    assertD(D_QNAN, NONE, sToD(S_QNAN_PAYLOAD, st), st);
  }

  @Test
  void wideningSignallingNaNRaisesInvalid() {
    assertD(D_QNAN, NV, sToD(S_SNAN, st), st);
  }

  @Test
  void signallingNaNIsRecognisedByItsClearQuietBitNotItsSign() {
    assertD(D_QNAN, NV, addD(D_SNAN_NEG, D_QNAN, RNE, st), st);
  }
}

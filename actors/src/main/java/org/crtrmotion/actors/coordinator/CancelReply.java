package org.crtrmotion.actors.coordinator;

import org.crtrmotion.actors.migration.Phase;

/** The answer to a cancel: accepted (the migration aborts, its report follows) or refused. */
public sealed interface CancelReply permits CancelReply.Accepted, CancelReply.Refused {
  String migrationId();

  /** The migration aborts; it was in {@code phase}. */
  record Accepted(String migrationId, Phase phase) implements CancelReply {}

  /** Nothing to cancel: unknown, ended, or past the commit point; the reason says which. */
  record Refused(String migrationId, String reason) implements CancelReply {}
}

/** Who sent a command, with rights already mapped by the adapter from its platform's permissions. */
export interface Caller {
  userId: string;
  /** May change channel settings (Discord: Manage Channels; Slack: admins, owners, configured users). */
  canManageChannel: boolean;
  /** May retrain and forget the channel (Discord: Manage Server; Slack: admins, owners, configured users). */
  canManageWorkspace: boolean;
}

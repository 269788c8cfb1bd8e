import { MANAGE_CHANNELS, MEMBER_PERMISSIONS, type FakeDiscord } from './fake-discord.js';

/** `/settings <setting> on|off` by a member with (or without) Manage Channels; resolves with the reply text. */
export async function discordSetting(
  fake: FakeDiscord,
  setting: string,
  state: 'on' | 'off',
  { channelId = fake.channelId, manager = true } = {},
): Promise<string> {
  const { token } = fake.sendInteraction({
    name: 'settings',
    channelId,
    options: [{ name: setting, type: 1, options: [{ name: 'state', type: 3, value: state }] }],
    permissions: manager ? MEMBER_PERMISSIONS | MANAGE_CHANNELS : MEMBER_PERMISSIONS,
  });
  const reply = await fake.waitForRequest((r) => {
    if (!r.path.includes(`/${token}`)) return false;
    const body = r.body as { content?: string; data?: { content?: string } } | undefined;
    return typeof (body?.content ?? body?.data?.content) === 'string';
  });
  const body = reply.body as { content?: string; data?: { content?: string } };
  return body.content ?? body.data?.content ?? '';
}

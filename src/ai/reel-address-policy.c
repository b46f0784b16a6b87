/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "storyreel-address-policy"

#include "config.h"

#include <string.h>

#include "reel-address-policy.h"

/*
 * "Local only" promises that a prompt and its reference images stay on this computer or on
 * the studio's own network. The rule: an address is local when a packet to it cannot leave
 * the site without being readdressed by someone the studio does not control.
 *
 *   local      loopback (127/8, ::1); the private ranges a site assigns itself and routers
 *              do not carry across the internet: 10/8, 172.16/12, 192.168/16 and IPv6
 *              unique-local fc00::/7; link-local 169.254/16 and fe80::/10, which never
 *              leave the link they are on.
 *   not local  carrier-grade NAT 100.64/10: the carrier's shared space, the next hop is the
 *              carrier's and overlay networks carry it over the internet; every public
 *              address; the unspecified, multicast and broadcast addresses, which name no
 *              one server. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) follows its IPv4
 *              address; every other embedding (NAT64 64:ff9b::/96 and the like) is public.
 *
 * A host name is local only when every address it resolves to is local, and the request
 * then goes to those addresses, directly, without a proxy and on a connection opened for
 * local-only requests (see reel-http.c).
 */

static gboolean
ipv4_is_local (const guint8 *b)
{
  return b[0] == 127
         || b[0] == 10
         || (b[0] == 172 && (b[1] & 0xf0) == 16)
         || (b[0] == 192 && b[1] == 168)
         || (b[0] == 169 && b[1] == 254);
}

gboolean
reel_address_policy_is_local (GInetAddress *address)
{
  const guint8 *bytes;

  g_return_val_if_fail (G_IS_INET_ADDRESS (address), FALSE);

  if (g_inet_address_get_is_any (address) || g_inet_address_get_is_multicast (address))
    return FALSE;

  bytes = g_inet_address_to_bytes (address);

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    {
      static const guint8 v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

      if (memcmp (bytes, v4_mapped, sizeof v4_mapped) == 0)
        return ipv4_is_local (bytes + 12);

      return g_inet_address_get_is_loopback (address)
             || (bytes[0] & 0xfe) == 0xfc                         /* fc00::/7 */
             || (bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80);  /* fe80::/10 */
    }

  return ipv4_is_local (bytes);
}

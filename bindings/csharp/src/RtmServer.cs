using System;
using System.Collections.Generic;
using RtmKit.Native;

namespace RtmKit
{
    /// <summary>
    /// An rtmd embedded in this process (the C API's rtm_server_*), for tests and local development,
    /// configured with rtmd's keys (docs/c-api.md, "Embedded server keys").
    /// </summary>
    public sealed class RtmServer : IDisposable
    {
        private SWIGTYPE_p_rtm_server_s handle;
        private readonly object gate = new object();

        private RtmServer(SWIGTYPE_p_rtm_server_s h) { handle = h; }

        /// <summary>Creates and starts a server.</summary>
        public static RtmServer Start(IEnumerable<KeyValuePair<string, string>> conf)
        {
            RtmKitLibrary.CheckCompat();
            int rc;
            var sc = RtmNative.server_conf_new(out rc);
            RtmException.Check(rc, null, "rtm_server_conf_new");
            try
            {
                foreach (var kv in conf)
                    RtmException.Check(RtmNative.server_conf_set(sc, kv.Key, kv.Value), null, "server key " + kv.Key);
            }
            catch
            {
                RtmNative.rtm_server_conf_destroy(sc);
                throw;
            }
            var s = RtmNative.server_new(sc, out rc);
            if (rc != 0)
            {
                RtmNative.rtm_server_conf_destroy(sc);
                throw RtmException.Of(rc, null, "rtm_server_new");
            }
            var server = new RtmServer(s);
            try
            {
                server.Start();
            }
            catch
            {
                server.Dispose();
                throw;
            }
            return server;
        }

        /// <summary>Starts again after Stop (same configuration and store).</summary>
        public void Start() { lock (gate) RtmException.Check(RtmNative.rtm_server_start(Live()), null, "rtm_server_start"); }

        /// <summary>Graceful stop.</summary>
        public void Stop() { lock (gate) RtmException.Check(RtmNative.rtm_server_stop(Live()), null, "rtm_server_stop"); }

        /// <summary>The port of the first ws listener (0 when stopped).</summary>
        public int Port { get { lock (gate) return RtmNative.rtm_server_port(Live(), 0); } }

        public string Url => "ws://127.0.0.1:" + Port;

        public long ConnectionCount { get { lock (gate) return (long)RtmNative.rtm_server_connection_count(Live()); } }

        private SWIGTYPE_p_rtm_server_s Live()
        {
            if (handle == null) throw new ObjectDisposedException(nameof(RtmServer));
            return handle;
        }

        public void Dispose()
        {
            lock (gate)
            {
                if (handle != null) RtmNative.rtm_server_destroy(handle);
                handle = null;
            }
        }
    }
}

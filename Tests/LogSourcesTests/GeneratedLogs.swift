/// Logs written by real programs on the development machine (Debian 12 packages,
/// November 2026) and kept verbatim as test input. They are our own output, unlike
/// the public samples in ../shared, so they live in the repository.
enum GeneratedLogs {
    /// certbot 2.1.0 `certonly --standalone` without network: a run that ends in a
    /// chained Python traceback (letsencrypt.log).
    static let certbot = #"""
        2026-11-25 11:27:47,836:DEBUG:certbot._internal.main:certbot version: 2.1.0
        2026-11-25 11:27:47,836:DEBUG:certbot._internal.main:Location of certbot entry point: /usr/bin/certbot
        2026-11-25 11:27:47,836:DEBUG:certbot._internal.main:Arguments: ['--standalone', '-d', 'example.com', '--non-interactive', '--agree-tos', '-m', 'admin@example.com', '--config-dir', '/tmp/cb/config', '--work-dir', '/tmp/cb/work', '--logs-dir', '/tmp/cb/logs', '--http-01-port', '58081']
        2026-11-25 11:27:47,836:DEBUG:certbot._internal.main:Discovered plugins: PluginsRegistry(PluginEntryPoint#manual,PluginEntryPoint#null,PluginEntryPoint#standalone,PluginEntryPoint#webroot)
        2026-11-25 11:27:47,841:DEBUG:certbot._internal.log:Root logging level set at 30
        2026-11-25 11:27:47,842:DEBUG:certbot._internal.plugins.selection:Requested authenticator standalone and installer None
        2026-11-25 11:27:47,842:DEBUG:certbot._internal.plugins.selection:Single candidate plugin: * standalone
        Description: Spin up a temporary webserver
        Interfaces: Authenticator, Plugin
        Entry point: standalone = certbot._internal.plugins.standalone:Authenticator
        Initialized: <certbot._internal.plugins.standalone.Authenticator object at 0x7fc2b2b70cd0>
        Prep: True
        2026-11-25 11:27:47,842:DEBUG:certbot._internal.plugins.selection:Selected authenticator <certbot._internal.plugins.standalone.Authenticator object at 0x7fc2b2b70cd0> and installer None
        2026-11-25 11:27:47,842:INFO:certbot._internal.plugins.selection:Plugins selected: Authenticator standalone, Installer None
        2026-11-25 11:27:47,955:DEBUG:acme.client:Sending GET request to https://acme-v02.api.letsencrypt.org/directory.
        2026-11-25 11:27:47,957:DEBUG:urllib3.connectionpool:Starting new HTTPS connection (1): acme-v02.api.letsencrypt.org:443
        2026-11-25 11:27:47,958:DEBUG:certbot._internal.log:Exiting abnormally:
        Traceback (most recent call last):
          File "/usr/lib/python3/dist-packages/urllib3/connection.py", line 174, in _new_conn
            conn = connection.create_connection(
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/urllib3/util/connection.py", line 73, in create_connection
            for res in socket.getaddrinfo(host, port, family, socket.SOCK_STREAM):
                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3.11/socket.py", line 962, in getaddrinfo
            for res in _socket.getaddrinfo(host, port, family, type, proto, flags):
                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
        socket.gaierror: [Errno -2] Name or service not known

        During handling of the above exception, another exception occurred:

        Traceback (most recent call last):
          File "/usr/lib/python3/dist-packages/urllib3/connectionpool.py", line 705, in urlopen
            httplib_response = self._make_request(
                               ^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/urllib3/connectionpool.py", line 388, in _make_request
            self._validate_conn(conn)
          File "/usr/lib/python3/dist-packages/urllib3/connectionpool.py", line 1062, in _validate_conn
            conn.connect()
          File "/usr/lib/python3/dist-packages/urllib3/connection.py", line 358, in connect
            self.sock = conn = self._new_conn()
                               ^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/urllib3/connection.py", line 186, in _new_conn
            raise NewConnectionError(
        urllib3.exceptions.NewConnectionError: <urllib3.connection.HTTPSConnection object at 0x7fc2b21cc990>: Failed to establish a new connection: [Errno -2] Name or service not known

        During handling of the above exception, another exception occurred:

        Traceback (most recent call last):
          File "/usr/lib/python3/dist-packages/requests/adapters.py", line 489, in send
            resp = conn.urlopen(
                   ^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/urllib3/connectionpool.py", line 789, in urlopen
            retries = retries.increment(
                      ^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/urllib3/util/retry.py", line 594, in increment
            raise MaxRetryError(_pool, url, error or ResponseError(cause))
        urllib3.exceptions.MaxRetryError: HTTPSConnectionPool(host='acme-v02.api.letsencrypt.org', port=443): Max retries exceeded with url: /directory (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7fc2b21cc990>: Failed to establish a new connection: [Errno -2] Name or service not known'))

        During handling of the above exception, another exception occurred:

        Traceback (most recent call last):
          File "/usr/bin/certbot", line 33, in <module>
            sys.exit(load_entry_point('certbot==2.1.0', 'console_scripts', 'certbot')())
                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/certbot/main.py", line 19, in main
            return internal_main.main(cli_args)
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/certbot/_internal/main.py", line 1736, in main
            return config.func(config, plugins)
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/certbot/_internal/main.py", line 1572, in certonly
            le_client = _init_le_client(config, auth, installer)
                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/certbot/_internal/main.py", line 827, in _init_le_client
            acc, acme = _determine_account(config)
                        ^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/certbot/_internal/main.py", line 735, in _determine_account
            acc, acme = client.register(
                        ^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/certbot/_internal/client.py", line 207, in register
            acme = acme_from_config_key(config, key)
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/certbot/_internal/client.py", line 72, in acme_from_config_key
            directory = acme_client.ClientV2.get_directory(config.server, net)
                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/acme/client.py", line 303, in get_directory
            return messages.Directory.from_json(net.get(url).json())
                                                ^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/acme/client.py", line 678, in get
            self._send_request('GET', url, **kwargs), content_type=content_type)
            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/acme/client.py", line 620, in _send_request
            response = self.session.request(method, url, *args, **kwargs)
                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/requests/sessions.py", line 587, in request
            resp = self.send(prep, **send_kwargs)
                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/requests/sessions.py", line 701, in send
            r = adapter.send(request, **kwargs)
                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
          File "/usr/lib/python3/dist-packages/requests/adapters.py", line 565, in send
            raise ConnectionError(e, request=request)
        requests.exceptions.ConnectionError: HTTPSConnectionPool(host='acme-v02.api.letsencrypt.org', port=443): Max retries exceeded with url: /directory (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7fc2b21cc990>: Failed to establish a new connection: [Errno -2] Name or service not known'))
        2026-11-25 11:27:47,961:ERROR:certbot._internal.log:An unexpected error occurred:
        2026-11-25 11:27:47,962:ERROR:certbot._internal.log:requests.exceptions.ConnectionError: HTTPSConnectionPool(host='acme-v02.api.letsencrypt.org', port=443): Max retries exceeded with url: /directory (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7fc2b21cc990>: Failed to establish a new connection: [Errno -2] Name or service not known'))
        """#

    /// fail2ban 1.0.2 with an sshd jail (dummy ban action) fed four failed logins.
    static let fail2ban = #"""
        2026-11-25 11:27:55,288 fail2ban.server         [19124]: INFO    --------------------------------------------------
        2026-11-25 11:27:55,288 fail2ban.server         [19124]: INFO    Starting Fail2ban v1.0.2
        2026-11-25 11:27:55,288 fail2ban.server         [19124]: INFO    Daemon started
        2026-11-25 11:27:55,292 fail2ban.observer       [19124]: INFO    Observer start...
        2026-11-25 11:27:55,329 fail2ban.database       [19124]: INFO    Connected to fail2ban persistent database ':memory:'
        2026-11-25 11:27:55,330 fail2ban.database       [19124]: WARNING New database created. Version '4'
        2026-11-25 11:27:55,330 fail2ban.jail           [19124]: INFO    Creating new jail 'sshd'
        2026-11-25 11:27:55,330 fail2ban.jail           [19124]: INFO    Jail 'sshd' uses poller {}
        2026-11-25 11:27:55,331 fail2ban.jail           [19124]: INFO    Initiated 'polling' backend
        2026-11-25 11:27:55,331 fail2ban.filter         [19124]: INFO      maxLines: 1
        2026-11-25 11:27:55,338 fail2ban.filter         [19124]: INFO      maxRetry: 3
        2026-11-25 11:27:55,338 fail2ban.filter         [19124]: INFO      findtime: 600
        2026-11-25 11:27:55,338 fail2ban.actions        [19124]: INFO      banTime: 5
        2026-11-25 11:27:55,338 fail2ban.filter         [19124]: INFO      encoding: UTF-8
        2026-11-25 11:27:55,338 fail2ban.filter         [19124]: INFO    Added logfile: '/tmp/f2b/auth.log' (pos = 0, hash = )
        2026-11-25 11:27:55,341 fail2ban.jail           [19124]: INFO    Jail 'sshd' started
        2026-11-25 11:27:57,546 fail2ban.filter         [19124]: INFO    [sshd] Found 203.0.113.7 - 2026-11-25 11:27:57
        2026-11-25 11:27:57,546 fail2ban.filter         [19124]: INFO    [sshd] Found 203.0.113.7 - 2026-11-25 11:27:57
        2026-11-25 11:27:57,546 fail2ban.filter         [19124]: INFO    [sshd] Found 203.0.113.7 - 2026-11-25 11:27:57
        2026-11-25 11:27:57,546 fail2ban.filter         [19124]: INFO    [sshd] Found 203.0.113.7 - 2026-11-25 11:27:57
        2026-11-25 11:27:57,946 fail2ban.actions        [19124]: NOTICE  [sshd] Ban 203.0.113.7
        2026-11-25 11:28:02,153 fail2ban.actions        [19124]: NOTICE  [sshd] Unban 203.0.113.7
        2026-11-25 11:28:05,403 fail2ban.server         [19124]: INFO    Shutdown in progress...
        2026-11-25 11:28:05,403 fail2ban.observer       [19124]: INFO    Observer stop ... try to end queue 5 seconds
        2026-11-25 11:28:05,423 fail2ban.observer       [19124]: INFO    Observer stopped, 0 events remaining.
        2026-11-25 11:28:05,464 fail2ban.server         [19124]: INFO    Stopping all jails
        2026-11-25 11:28:05,464 fail2ban.filter         [19124]: INFO    Removed logfile: '/tmp/f2b/auth.log'
        2026-11-25 11:28:06,158 fail2ban.actions        [19124]: NOTICE  [sshd] Flush ticket(s) with dummy
        2026-11-25 11:28:06,165 fail2ban.jail           [19124]: INFO    Jail 'sshd' stopped
        2026-11-25 11:28:06,166 fail2ban.database       [19124]: INFO    Connection to database closed.
        2026-11-25 11:28:06,166 fail2ban.server         [19124]: INFO    Exiting Fail2ban
        """#

    /// Apache 2.4.71 (event MPM, LogLevel info): startup, a missing file, denied
    /// paths, basic-auth failures, an IPv6 client, shutdown; then the mime error of a
    /// first failed start. httpd's own stderr line (AH00558) was removed: it is not
    /// part of the log format and appears glued to the last line.
    static let apache24 = #"""
        [Wed Nov 25 11:27:22.363911 2026] [mpm_event:notice] [pid 18170:tid 18170] AH00489: Apache/2.4.71 (Debian) configured -- resuming normal operations
        [Wed Nov 25 11:27:22.363963 2026] [mpm_event:info] [pid 18170:tid 18170] AH00490: Server built: 2026-11-12T08:58:41
        [Wed Nov 25 11:27:22.363968 2026] [core:notice] [pid 18170:tid 18170] AH00094: Command line: 'apache2 -f /tmp/ap/httpd.conf'
        [Wed Nov 25 11:27:23.370579 2026] [core:info] [pid 18172:tid 18185] [client 127.0.0.1:42668] AH00128: File does not exist: /tmp/ap/www/nothing
        [Wed Nov 25 11:27:23.377166 2026] [authz_core:error] [pid 18171:tid 18180] [client 127.0.0.1:42672] AH01630: client denied by server configuration: /tmp/ap/www/private/x.html
        [Wed Nov 25 11:27:23.383350 2026] [auth_basic:error] [pid 18172:tid 18242] [client 127.0.0.1:42680] AH01617: user alice: authentication failure for "/basic/": Password Mismatch
        [Wed Nov 25 11:27:23.389454 2026] [auth_basic:error] [pid 18172:tid 18225] [client 127.0.0.1:42684] AH01618: user bob not found: /basic/
        [Wed Nov 25 11:27:23.395549 2026] [authz_core:error] [pid 18172:tid 18230] [client ::1:59840] AH01630: client denied by server configuration: /tmp/ap/www/private/
        [Wed Nov 25 11:27:23.401316 2026] [core:info] [pid 18172:tid 18232] [client 127.0.0.1:42690] AH00129: Attempt to serve directory: /tmp/ap/www/
        [Wed Nov 25 11:27:23.925037 2026] [core:info] [pid 18170:tid 18170] AH00096: removed PID file /tmp/ap/httpd.pid (pid=18170)
        [Wed Nov 25 11:27:23.925051 2026] [mpm_event:notice] [pid 18170:tid 18170] AH00491: caught SIGTERM, shutting down
        [Wed Nov 25 11:27:17.104095 2026] [mime:error] [pid 18088:tid 18088] (2)No such file or directory: AH01597: could not open mime types config file /etc/apache2/mime.types.
        """#

    /// PostgreSQL 15.18 with the spec's `log_line_prefix = '%m [%p] %q%u@%d '`, the
    /// full log of a session with errors and a multi-line statement.
    static let postgresql = #"""
        2026-11-25 11:25:20.264 UTC [15696] LOG:  starting PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14+deb12u1) 12.2.0, 64-bit
        2026-11-25 11:25:20.264 UTC [15696] LOG:  listening on IPv4 address "127.0.0.1", port 55439
        2026-11-25 11:25:20.267 UTC [15696] LOG:  listening on Unix socket "/tmp/pgt/.s.PGSQL.55439"
        2026-11-25 11:25:20.271 UTC [15703] LOG:  database system was shut down at 2026-11-25 11:25:20 UTC
        2026-11-25 11:25:20.275 UTC [15696] LOG:  database system is ready to accept connections
        2026-11-25 11:25:22.374 UTC [16016] [unknown]@[unknown] LOG:  connection received: host=[local]
        2026-11-25 11:25:22.374 UTC [16016] postgres@postgres LOG:  connection authorized: user=postgres database=postgres application_name=psql
        2026-11-25 11:25:22.379 UTC [16016] postgres@postgres LOG:  duration: 0.354 ms  statement: select 1
        2026-11-25 11:25:22.379 UTC [16016] postgres@postgres ERROR:  relation "nonexistent_table" does not exist at character 15
        2026-11-25 11:25:22.379 UTC [16016] postgres@postgres STATEMENT:  select * from nonexistent_table
        2026-11-25 11:25:22.380 UTC [16016] postgres@postgres ERROR:  division by zero
        2026-11-25 11:25:22.380 UTC [16016] postgres@postgres STATEMENT:  select 1/0
        2026-11-25 11:25:22.411 UTC [16019] [unknown]@[unknown] LOG:  connection received: host=[local]
        2026-11-25 11:25:22.412 UTC [16019] postgres@postgres LOG:  connection authorized: user=postgres database=postgres application_name=psql
        2026-11-25 11:25:22.417 UTC [16019] postgres@postgres LOG:  duration: 3.584 ms  statement: create table t(id int primary key);
        2026-11-25 11:25:22.417 UTC [16019] postgres@postgres LOG:  duration: 0.517 ms  statement: insert into t values (1);
        2026-11-25 11:25:22.417 UTC [16019] postgres@postgres ERROR:  duplicate key value violates unique constraint "t_pkey"
        2026-11-25 11:25:22.417 UTC [16019] postgres@postgres DETAIL:  Key (id)=(1) already exists.
        2026-11-25 11:25:22.417 UTC [16019] postgres@postgres STATEMENT:  insert into t values (1);
        2026-11-25 11:25:22.418 UTC [16019] postgres@postgres LOG:  duration: 0.417 ms  statement: select
        	  id,
        	  id * 2
        	from t
        	where id = 1;
        2026-11-25 11:25:22.419 UTC [16019] postgres@postgres WARNING:  custom warning 42
        2026-11-25 11:25:22.419 UTC [16019] postgres@postgres CONTEXT:  PL/pgSQL function inline_code_block line 1 at RAISE
        2026-11-25 11:25:22.419 UTC [16019] postgres@postgres LOG:  duration: 1.313 ms  statement: do $$ begin raise warning 'custom warning %', 42; end $$;
        2026-11-25 11:25:22.419 UTC [16019] postgres@postgres LOG:  duration: 0.040 ms  statement: do $$ begin raise notice 'note'; end $$;
        2026-11-25 11:25:22.456 UTC [16022] [unknown]@[unknown] LOG:  connection received: host=[local]
        2026-11-25 11:25:22.457 UTC [16022] nobody@postgres LOG:  connection authorized: user=nobody database=postgres application_name=psql
        2026-11-25 11:25:22.457 UTC [16022] nobody@postgres FATAL:  role "nobody" does not exist
        """#
}

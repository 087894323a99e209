//! A check of an OLE container (XLS) before calamine reads it: calamine follows sector chains
//! without looking for loops, so a few hundred bytes whose allocation table points back on
//! itself make it grow a buffer until memory runs out (found by fuzzing). Here the allocation
//! tables (FAT and mini FAT) are read as the format describes and every chain in them must end;
//! the Workbook stream found on the way is checked next, in [`super::xls`].

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
/// Ids from here up are markers (end of chain, free, FAT or DIFAT sector), not sectors.
const RESERVED: u32 = 0xFFFF_FFFA;

/// The Workbook stream (none without one), or `Err` with what is wrong when a chain loops or
/// the tables cannot be read.
pub(crate) fn check(bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let u16_at = |at: usize| -> Option<u16> {
        Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
    };
    let u32_at = |at: usize| -> Option<u32> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let truncated = || "truncated header".to_string();
    let shift = u16_at(0x1E).ok_or_else(truncated)?;
    if shift != 9 && shift != 12 {
        return Err(format!("sector shift {shift}"));
    }
    let size = 1usize << shift;
    let sectors = bytes.len().saturating_sub(512) / size + 1;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        bytes.get(start..start.checked_add(size)?)
    };
    // Where the FAT sectors are: 109 in the header, the rest in the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32_at(0x4C + 4 * i)).collect();
    let mut difat = u32_at(0x44).ok_or_else(truncated)?;
    let mut hops = 0;
    while difat < RESERVED {
        hops += 1;
        if hops > sectors {
            return Err("DIFAT chain loops".into());
        }
        let data = sector(difat).ok_or("DIFAT beyond the end")?;
        let (entries, next) = data.split_at(size - 4);
        fat_sectors.extend(
            entries
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        difat = u32::from_le_bytes([next[0], next[1], next[2], next[3]]);
    }
    let mut fat = Vec::new();
    for id in fat_sectors.into_iter().filter(|&id| id < RESERVED) {
        let Some(data) = sector(id) else { continue };
        fat.extend(
            data.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        if fat.len() > sectors.saturating_mul(size / 4).saturating_add(size) {
            return Err("FAT larger than the file".into());
        }
    }
    no_loops(&fat, "FAT")?;
    // The mini FAT is itself a chain in the FAT (which has no loops now).
    let mut minifat = Vec::new();
    let mut id = u32_at(0x3C).ok_or_else(truncated)?;
    while id < RESERVED && id != ENDOFCHAIN {
        let Some(data) = sector(id) else { break };
        minifat.extend(
            data.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
        match fat.get(id as usize) {
            Some(&next) => id = next,
            None => break,
        }
    }
    no_loops(&minifat, "mini FAT")?;
    let chain = |mut id: u32, limit: usize| -> Vec<u8> {
        let mut out = Vec::new();
        while id < RESERVED && out.len() < limit {
            let Some(data) = sector(id) else { break };
            out.extend_from_slice(data);
            id = fat.get(id as usize).copied().unwrap_or(ENDOFCHAIN);
        }
        out.truncate(limit);
        out
    };
    // The directory; its first entry (the root) holds the mini stream.
    let directory = chain(u32_at(0x30).ok_or_else(truncated)?, usize::MAX);
    let entries: Vec<(String, u32, usize)> = directory
        .chunks_exact(128)
        .map(|e| {
            let units: Vec<u16> = e[..64]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            let name: String = char::decode_utf16(units.into_iter().take_while(|&u| u != 0))
                .map(|c| c.unwrap_or('\u{fffd}'))
                .collect();
            let start = u32::from_le_bytes([e[116], e[117], e[118], e[119]]);
            let len = u32::from_le_bytes([e[120], e[121], e[122], e[123]]) as usize;
            (name, start, len)
        })
        .collect();
    let Some((_, start, len)) = entries
        .iter()
        .find(|(name, _, _)| name.eq_ignore_ascii_case("Workbook"))
        .or_else(|| {
            entries
                .iter()
                .find(|(name, _, _)| name.eq_ignore_ascii_case("Book"))
        })
    else {
        // calamine says so itself.
        return Ok(None);
    };
    let stream = if *len < 4096 {
        let mini_stream = entries
            .first()
            .map_or_else(Vec::new, |root| chain(root.1, root.2));
        let mut out = Vec::new();
        let mut id = *start;
        while id < RESERVED && out.len() < *len {
            let at = id as usize * 64;
            let Some(data) = mini_stream.get(at..at + 64) else {
                break;
            };
            out.extend_from_slice(data);
            id = minifat.get(id as usize).copied().unwrap_or(ENDOFCHAIN);
        }
        out
    } else {
        chain(*start, *len)
    };
    Ok(Some(stream))
}

/// Every chain in `table` (entry `i` names the sector after `i`) ends.
fn no_loops(table: &[u32], name: &str) -> Result<(), String> {
    // 0: not seen, 1: on the path being followed, 2: known to end.
    let mut state = vec![0u8; table.len()];
    let mut path = Vec::new();
    for start in 0..table.len() {
        let mut id = start;
        while id < table.len() && state[id] == 0 {
            state[id] = 1;
            path.push(id);
            id = table[id] as usize;
        }
        if id < table.len() && state[id] == 1 {
            return Err(format!("a {name} chain loops"));
        }
        for &seen in &path {
            state[seen] = 2;
        }
        path.clear();
    }
    Ok(())
}
